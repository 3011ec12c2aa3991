package dev.exitrl.core.domain.math;

import dev.exitrl.core.domain.Fraction;
import java.util.List;

/**
 * The expression tree of a parsed answer ({@link ExprParser}). Records, so that structural equality is
 * {@code equals}. Values ({@link Num} to {@link PlusMinus}) can be evaluated; the others are compared part by part
 * ({@link AnswerComparator}).
 */
sealed interface Expr {
    /**
     * A number literal, exact as written ({@code 0.125} is 1/8).
     *
     * @param floatDigits 0 for integers, fractions and repeating decimals; for a decimal literal ({@code 0.333},
     *     {@code 1.5e3}) its number of significant digits, which sets the tolerance when it is compared with an
     *     exact value
     */
    record Num(Fraction value, int floatDigits) implements Expr {
        static Num of(long value) {
            return new Num(Fraction.of(value), 0);
        }
    }

    /** A named constant: {@code pi}, {@code e}, {@code i} (imaginary unit) or {@code infty}. */
    record Const(String name) implements Expr {
        static final Const PI = new Const("pi");
        static final Const E = new Const("e");
        static final Const I = new Const("i");
        static final Const INFINITY = new Const("infty");
    }

    /** A variable: a letter, a Greek letter name, optionally with a subscript ({@code x_1}). */
    record Var(String name) implements Expr {}

    record Add(List<Expr> terms) implements Expr {}

    record Mul(List<Expr> factors) implements Expr {}

    record Neg(Expr operand) implements Expr {}

    record Div(Expr numerator, Expr denominator) implements Expr {}

    record Pow(Expr base, Expr exponent) implements Expr {}

    /**
     * A function application: {@code sqrt}, {@code root} (radicand, index), {@code sin} and the other trigonometric
     * and hyperbolic functions, {@code ln}, {@code log} (argument, optional base), {@code exp}, {@code abs},
     * {@code fact}, {@code binom}, {@code floor}, {@code ceil}.
     */
    record Call(String function, List<Expr> args) implements Expr {}

    /** {@code 50\%}: compared both as 50 and as 0.5 (answers write percentages either way). */
    record Percent(Expr operand) implements Expr {}

    /** {@code a \pm b} (with {@code a} zero for a leading {@code \pm}): expanded into both values before comparing. */
    record PlusMinus(Expr left, Expr right) implements Expr {}

    /**
     * A relation or chain of relations: {@code x = 3}, {@code 1 < x \le 2}, {@code x \in [0, 1]}.
     *
     * @param ops one fewer than operands; each one of {@code = != < <= > >= in}
     */
    record Relation(List<Expr> operands, List<String> ops) implements Expr {}

    /**
     * A bracketed list of at least two items: a tuple, a point, a vector or an interval ({@code (a, b)}, {@code [a,
     * b)}); the brackets are kept because they matter for intervals.
     */
    record Group(char open, char close, List<Expr> items) implements Expr {}

    /** {@code \{a, b\}}: order and repetition do not matter. */
    record SetOf(List<Expr> items) implements Expr {}

    /** A bare comma list {@code a, b} ("enter all solutions"): compared as a multiset. */
    record ListOf(List<Expr> items) implements Expr {}

    /** A union ({@code op = "cup"}) or intersection ({@code "cap"}) of sets or intervals. */
    record SetOp(String op, List<Expr> parts) implements Expr {}

    /** A matrix from a {@code pmatrix}/{@code bmatrix}/{@code matrix}/{@code array} environment, rows of cells. */
    record Matrix(List<List<Expr>> rows) implements Expr {}

    /** An answer in words ({@code no solution}, {@code odd}), lower-cased with spacing collapsed. */
    record Text(String text) implements Expr {}
}
