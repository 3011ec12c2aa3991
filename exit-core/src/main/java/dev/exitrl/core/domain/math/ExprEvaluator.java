package dev.exitrl.core.domain.math;

import dev.exitrl.core.domain.Fraction;
import dev.exitrl.core.domain.math.Expr.Add;
import dev.exitrl.core.domain.math.Expr.Call;
import dev.exitrl.core.domain.math.Expr.Const;
import dev.exitrl.core.domain.math.Expr.Div;
import dev.exitrl.core.domain.math.Expr.Mul;
import dev.exitrl.core.domain.math.Expr.Neg;
import dev.exitrl.core.domain.math.Expr.Num;
import dev.exitrl.core.domain.math.Expr.Percent;
import dev.exitrl.core.domain.math.Expr.Pow;
import dev.exitrl.core.domain.math.Expr.Var;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a value expression to a {@link Numeric}, with variables bound to given values. Exact as long as every
 * step is ({@link Numeric}); functions without exact rational values (trigonometry, logarithms) are approximate.
 */
final class ExprEvaluator {
    /** The expression is not a number (a set, a relation, infinity, an unbound variable). */
    static final class NotNumeric extends RuntimeException {
        NotNumeric(String message) {
            super(message, null, false, false);
        }
    }

    /** Exact factorials and binomials stop here; beyond it they are not worth computing. */
    private static final int MAX_EXACT_FACTORIAL = 2000;

    private static final Fraction HUNDRED = Fraction.of(100);

    private final Map<String, Numeric> variables;
    private final CheckBudget budget;

    ExprEvaluator(Map<String, Numeric> variables, CheckBudget budget) {
        this.variables = variables;
        this.budget = budget;
    }

    /**
     * @throws NotNumeric          when the expression is not a number
     * @throws ArithmeticException on an exact division by zero or a factorial out of range
     */
    Numeric eval(Expr e) {
        budget.check();
        if (e instanceof Num n) {
            return Numeric.exact(n.value());
        }
        if (e instanceof Const c) {
            return constant(c);
        }
        if (e instanceof Var v) {
            Numeric value = variables.get(v.name());
            if (value == null) {
                throw new NotNumeric("unbound variable " + v.name());
            }
            return value;
        }
        if (e instanceof Add a) {
            Numeric sum = Numeric.ZERO;
            for (Expr t : a.terms()) {
                sum = sum.add(eval(t));
            }
            return sum;
        }
        if (e instanceof Mul m) {
            Numeric product = Numeric.ONE;
            for (Expr f : m.factors()) {
                product = product.multiply(eval(f));
            }
            return product;
        }
        if (e instanceof Neg n) {
            return eval(n.operand()).negate();
        }
        if (e instanceof Div d) {
            return eval(d.numerator()).divide(eval(d.denominator()));
        }
        if (e instanceof Pow p) {
            return eval(p.base()).pow(eval(p.exponent()));
        }
        if (e instanceof Percent p) {
            return eval(p.operand()).divide(Numeric.exact(HUNDRED));
        }
        if (e instanceof Call c) {
            return call(c);
        }
        throw new NotNumeric("not a number: " + e.getClass().getSimpleName());
    }

    private static Numeric constant(Const c) {
        return switch (c.name()) {
            case "pi" -> Numeric.approx(Math.PI, 0);
            case "e" -> Numeric.approx(Math.E, 0);
            case "i" -> Numeric.I;
            default -> throw new NotNumeric("infinity is not a number");
        };
    }

    private Numeric call(Call c) {
        List<Expr> args = c.args();
        Numeric x = eval(args.get(0));
        return switch (c.function()) {
            case "sqrt" -> x.sqrt();
            case "root" -> x.root(eval(args.get(1)));
            case "sin" -> x.sin();
            case "cos" -> x.cos();
            case "tan" -> x.sin().divide(x.cos());
            case "sec" -> Numeric.ONE.divide(x.cos());
            case "csc" -> Numeric.ONE.divide(x.sin());
            case "cot" -> x.cos().divide(x.sin());
            case "arcsin" -> realOnly(x, Math.asin(x.re()));
            case "arccos" -> realOnly(x, Math.acos(x.re()));
            case "arctan" -> realOnly(x, Math.atan(x.re()));
            case "sinh" -> realOnly(x, Math.sinh(x.re()));
            case "cosh" -> realOnly(x, Math.cosh(x.re()));
            case "tanh" -> realOnly(x, Math.tanh(x.re()));
            case "ln" -> x.log();
            case "log" ->
                args.size() == 1 ? x.log() : x.log().divide(eval(args.get(1)).log());
            case "abs" -> x.isExact() ? Numeric.exact(x.exact().abs()) : Numeric.approx(x.abs(), 0);
            case "fact" -> Numeric.exact(Fraction.of(factorial(x), BigInteger.ONE));
            case "binom" -> binomial(x, eval(args.get(1)));
            case "floor" -> rounded(x, Math.floor(x.re()), false);
            case "ceil" -> rounded(x, Math.ceil(x.re()), true);
            default -> throw new NotNumeric("unknown function " + c.function());
        };
    }

    /** Inverse trigonometric and hyperbolic functions are only needed on reals. */
    private static Numeric realOnly(Numeric x, double value) {
        return x.im() == 0 ? Numeric.approx(value, 0) : Numeric.approx(Double.NaN, Double.NaN);
    }

    private static BigInteger natural(Numeric x) {
        if (!x.isExact() || !x.exact().isInteger() || x.exact().signum() < 0) {
            throw new ArithmeticException("not a natural number");
        }
        if (x.exact().numerator().compareTo(BigInteger.valueOf(MAX_EXACT_FACTORIAL)) > 0) {
            throw new ArithmeticException("too large for an exact factorial");
        }
        return x.exact().numerator();
    }

    private static BigInteger factorial(Numeric x) {
        int n = natural(x).intValue();
        BigInteger f = BigInteger.ONE;
        for (int k = 2; k <= n; k++) {
            f = f.multiply(BigInteger.valueOf(k));
        }
        return f;
    }

    private static Numeric binomial(Numeric n, Numeric k) {
        int nn = natural(n).intValue();
        int kk = natural(k).intValue();
        if (kk > nn) {
            return Numeric.ZERO;
        }
        BigInteger result = BigInteger.ONE;
        for (int j = 1; j <= Math.min(kk, nn - kk); j++) {
            result = result.multiply(BigInteger.valueOf(nn - j + 1L)).divide(BigInteger.valueOf(j));
        }
        return Numeric.exact(Fraction.of(result, BigInteger.ONE));
    }

    private static Numeric rounded(Numeric x, double approx, boolean up) {
        if (x.isExact()) {
            BigInteger[] qr = x.exact().numerator().divideAndRemainder(x.exact().denominator());
            BigInteger q = qr[0];
            if (qr[1].signum() != 0 && (qr[1].signum() > 0) == up) {
                q = up ? q.add(BigInteger.ONE) : q.subtract(BigInteger.ONE);
            }
            return Numeric.exact(Fraction.of(q, BigInteger.ONE));
        }
        return Numeric.approx(approx, 0);
    }
}
