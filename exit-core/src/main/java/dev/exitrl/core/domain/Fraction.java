package dev.exitrl.core.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Objects;

/**
 * An exact rational number {@code numerator / denominator} over {@link BigInteger}, always in lowest terms with a
 * positive denominator, so {@code equals} is numeric equality ({@code 2/4 equals 1/2}). Used by the math answer
 * checker and by countdown's evaluator.
 */
public final class Fraction implements Comparable<Fraction> {
    public static final Fraction ZERO = new Fraction(BigInteger.ZERO, BigInteger.ONE);
    public static final Fraction ONE = new Fraction(BigInteger.ONE, BigInteger.ONE);

    private final BigInteger numerator;
    private final BigInteger denominator;

    private Fraction(BigInteger numerator, BigInteger denominator) {
        this.numerator = numerator;
        this.denominator = denominator;
    }

    public static Fraction of(long value) {
        return new Fraction(BigInteger.valueOf(value), BigInteger.ONE);
    }

    public static Fraction of(long numerator, long denominator) {
        return of(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    /** @throws ArithmeticException when the denominator is zero */
    public static Fraction of(BigInteger numerator, BigInteger denominator) {
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
        if (denominator.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        if (denominator.signum() < 0) {
            numerator = numerator.negate();
            denominator = denominator.negate();
        }
        BigInteger gcd = numerator.gcd(denominator);
        if (!gcd.equals(BigInteger.ONE) && gcd.signum() != 0) {
            numerator = numerator.divide(gcd);
            denominator = denominator.divide(gcd);
        }
        return new Fraction(numerator, numerator.signum() == 0 ? BigInteger.ONE : denominator);
    }

    /**
     * Parses an integer ({@code -12}), a decimal ({@code 0.125}, {@code .5}) or a plain fraction ({@code -3/4})
     * exactly.
     *
     * @throws NumberFormatException when the text is none of these
     */
    public static Fraction parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        if (slash >= 0) {
            Fraction num = parse(s.substring(0, slash));
            Fraction den = parse(s.substring(slash + 1));
            if (den.signum() == 0) {
                throw new NumberFormatException("zero denominator in '" + text + "'");
            }
            return num.divide(den);
        }
        if (!s.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            throw new NumberFormatException("not a number: '" + text + "'");
        }
        BigDecimal decimal = new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
        if (decimal.scale() <= 0) {
            return new Fraction(decimal.toBigIntegerExact(), BigInteger.ONE);
        }
        return of(decimal.unscaledValue(), BigInteger.TEN.pow(decimal.scale()));
    }

    public BigInteger numerator() {
        return numerator;
    }

    public BigInteger denominator() {
        return denominator;
    }

    public boolean isInteger() {
        return denominator.equals(BigInteger.ONE);
    }

    public int signum() {
        return numerator.signum();
    }

    public Fraction add(Fraction other) {
        return of(
                numerator.multiply(other.denominator).add(other.numerator.multiply(denominator)),
                denominator.multiply(other.denominator));
    }

    public Fraction subtract(Fraction other) {
        return add(other.negate());
    }

    public Fraction multiply(Fraction other) {
        return of(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
    }

    /** @throws ArithmeticException when {@code other} is zero */
    public Fraction divide(Fraction other) {
        if (other.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        return of(numerator.multiply(other.denominator), denominator.multiply(other.numerator));
    }

    public Fraction negate() {
        return new Fraction(numerator.negate(), denominator);
    }

    public Fraction abs() {
        return signum() < 0 ? negate() : this;
    }

    /** {@code this^exponent}; a negative exponent inverts (and throws {@link ArithmeticException} on zero). */
    public Fraction pow(int exponent) {
        if (exponent < 0) {
            return ONE.divide(this).pow(-exponent);
        }
        return new Fraction(numerator.pow(exponent), denominator.pow(exponent));
    }

    public double toDouble() {
        return new BigDecimal(numerator)
                .divide(new BigDecimal(denominator), MathContext.DECIMAL64)
                .doubleValue();
    }

    @Override
    public int compareTo(Fraction other) {
        return numerator.multiply(other.denominator).compareTo(other.numerator.multiply(denominator));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fraction f && numerator.equals(f.numerator) && denominator.equals(f.denominator);
    }

    @Override
    public int hashCode() {
        return 31 * numerator.hashCode() + denominator.hashCode();
    }

    /** {@code "7"}, {@code "-3/4"}. */
    @Override
    public String toString() {
        return isInteger() ? numerator.toString() : numerator + "/" + denominator;
    }

    /** {@code "7"}, {@code "-\frac{3}{4}"}: the form the math domain puts in {@code \boxed{}}. */
    public String toLatex() {
        if (isInteger()) {
            return numerator.toString();
        }
        String frac = "\\frac{" + numerator.abs() + "}{" + denominator + "}";
        return signum() < 0 ? "-" + frac : frac;
    }
}
