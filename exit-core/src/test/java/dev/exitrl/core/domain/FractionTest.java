package dev.exitrl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FractionTest {

    @Test
    void isKeptInLowestTermsWithAPositiveDenominator() {
        Fraction f = Fraction.of(6, -8);
        assertThat(f.numerator()).hasToString("-3");
        assertThat(f.denominator()).hasToString("4");
        assertThat(f).isEqualTo(Fraction.of(-3, 4)).hasToString("-3/4");
        assertThat(f.toLatex()).isEqualTo("-\\frac{3}{4}");
        assertThat(Fraction.of(0, -5)).isEqualTo(Fraction.ZERO);
    }

    @Test
    void arithmeticIsExact() {
        Fraction third = Fraction.of(1, 3);
        assertThat(third.add(third).add(third)).isEqualTo(Fraction.ONE);
        assertThat(third.subtract(Fraction.of(1, 2))).isEqualTo(Fraction.of(-1, 6));
        assertThat(third.divide(Fraction.of(2, 3))).isEqualTo(Fraction.of(1, 2));
        assertThat(Fraction.of(2, 3).pow(-2)).isEqualTo(Fraction.of(9, 4));
        assertThat(Fraction.of(7, 2).compareTo(Fraction.of(10, 3))).isPositive();
        assertThatThrownBy(() -> third.divide(Fraction.ZERO)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void parsesIntegersDecimalsAndFractions() {
        assertThat(Fraction.parse("-12")).isEqualTo(Fraction.of(-12));
        assertThat(Fraction.parse("0.125")).isEqualTo(Fraction.of(1, 8));
        assertThat(Fraction.parse(".5")).isEqualTo(Fraction.of(1, 2));
        assertThat(Fraction.parse("-3/4")).isEqualTo(Fraction.of(-3, 4));
        assertThatThrownBy(() -> Fraction.parse("1/0")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Fraction.parse("abc")).isInstanceOf(NumberFormatException.class);
    }
}
