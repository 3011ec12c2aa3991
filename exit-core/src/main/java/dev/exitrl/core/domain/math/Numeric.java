package dev.exitrl.core.domain.math;

import dev.exitrl.core.domain.Fraction;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * A number met while evaluating an answer: an exact rational when every step so far was exact (integers,
 * fractions, decimals, integer powers, roots of perfect powers), otherwise a complex double. Keeping the exact form
 * as long as possible makes rational answers compare exactly (no tolerance: {@code 2^{100}+1} is not {@code 2^{100}}),
 * while radicals, pi, e, i and functions fall back to double precision compared with a tolerance.
 *
 * @param exact the exact value, or null when the value is only known approximately
 * @param re    the real part (approximate, also set for exact values)
 * @param im    the imaginary part
 */
record Numeric(Fraction exact, double re, double im) {
    /** Exact integer powers stop here: beyond it the result is approximate (and usually infinite). */
    private static final int MAX_EXACT_BITS = 20_000;

    static final Numeric ZERO = exact(Fraction.ZERO);
    static final Numeric ONE = exact(Fraction.ONE);
    static final Numeric I = approx(0, 1);

    static Numeric exact(Fraction value) {
        return new Numeric(value, toDouble(value), 0);
    }

    static Numeric approx(double re, double im) {
        return new Numeric(null, re, im);
    }

    boolean isExact() {
        return exact != null;
    }

    boolean isFinite() {
        return Double.isFinite(re) && Double.isFinite(im);
    }

    double abs() {
        return Math.hypot(re, im);
    }

    Numeric add(Numeric o) {
        if (isExact() && o.isExact()) {
            return exact(exact.add(o.exact));
        }
        return approx(re + o.re, im + o.im);
    }

    Numeric negate() {
        return isExact() ? exact(exact.negate()) : approx(-re, -im);
    }

    Numeric subtract(Numeric o) {
        return add(o.negate());
    }

    Numeric multiply(Numeric o) {
        if (isExact() && o.isExact()) {
            return exact(exact.multiply(o.exact));
        }
        return approx(re * o.re - im * o.im, re * o.im + im * o.re);
    }

    /** @throws ArithmeticException on an exact division by zero */
    Numeric divide(Numeric o) {
        if (isExact() && o.isExact()) {
            return exact(exact.divide(o.exact));
        }
        double d = o.re * o.re + o.im * o.im;
        return approx((re * o.re + im * o.im) / d, (im * o.re - re * o.im) / d);
    }

    Numeric pow(Numeric e) {
        if (isExact() && e.isExact()) {
            Numeric exactPower = exactPow(e.exact);
            if (exactPower != null) {
                return exactPower;
            }
        }
        if (e.isExact() && e.exact.isInteger() && e.exact.numerator().bitLength() < 31) {
            return integerPow(e.exact.numerator().intValue());
        }
        if (re == 0 && im == 0) {
            return e.re > 0 ? ZERO : approx(Double.NaN, Double.NaN);
        }
        if (im == 0 && re < 0 && e.isExact() && e.exact.denominator().testBit(0)) {
            // an odd root of a negative real is real, as in school algebra: (-8)^{2/3} = 4, so x^{2/3} = \sqrt[3]{x}^2
            double magnitude = Math.pow(
                    -re,
                    e.exact.numerator().doubleValue() / e.exact.denominator().doubleValue());
            return approx(e.exact.numerator().testBit(0) ? -magnitude : magnitude, 0);
        }
        return e.multiply(log()).exp();
    }

    /** The exact power, or null when it is not rational or too large to keep exact. */
    private Numeric exactPow(Fraction e) {
        BigInteger p = e.numerator();
        BigInteger q = e.denominator();
        if (p.bitLength() > 31 || q.bitLength() > 31) {
            return null;
        }
        long bits = (long) Math.max(
                        exact.numerator().bitLength(), exact.denominator().bitLength())
                * Math.abs(p.longValue());
        if (bits > MAX_EXACT_BITS) {
            return null;
        }
        Fraction base = exact;
        if (q.intValue() != 1) {
            Fraction root = exactRoot(base, q.intValue());
            if (root == null) {
                return null;
            }
            base = root;
        }
        return exact(base.pow(p.intValue()));
    }

    /** The exact n-th root of a rational (real, principal), or null when there is none. */
    static Fraction exactRoot(Fraction value, int n) {
        if (n < 1) {
            return null;
        }
        if (value.signum() < 0) {
            if (n % 2 == 0) {
                return null;
            }
            Fraction r = exactRoot(value.negate(), n);
            return r == null ? null : r.negate();
        }
        BigInteger num = integerRoot(value.numerator(), n);
        BigInteger den = integerRoot(value.denominator(), n);
        return num == null || den == null ? null : Fraction.of(num, den);
    }

    private static BigInteger integerRoot(BigInteger value, int n) {
        if (n == 1 || value.signum() == 0) {
            return value;
        }
        if (n == 2) {
            BigInteger r = value.sqrt();
            return r.multiply(r).equals(value) ? r : null;
        }
        if (value.bitLength() > 4096) {
            return null;
        }
        // Newton's method from a power-of-two overestimate.
        BigInteger x = BigInteger.ONE.shiftLeft(value.bitLength() / n + 1);
        BigInteger bn = BigInteger.valueOf(n);
        while (true) {
            BigInteger y = x.multiply(bn.subtract(BigInteger.ONE))
                    .add(value.divide(x.pow(n - 1)))
                    .divide(bn);
            if (y.compareTo(x) >= 0) {
                break;
            }
            x = y;
        }
        return x.pow(n).equals(value) ? x : null;
    }

    /** An approximate integer power: {@code Math.pow} for reals, repeated products or {@code exp(n log z)} else. */
    private Numeric integerPow(int n) {
        if (im == 0) {
            return approx(Math.pow(re, n), 0);
        }
        if (Math.abs(n) > 64) {
            return approx(n, 0).multiply(log()).exp();
        }
        Numeric base = n < 0 ? approx(1, 0).divide(approx(re, im)) : approx(re, im);
        Numeric result = approx(1, 0);
        for (int k = 0; k < Math.abs(n); k++) {
            result = result.multiply(base);
        }
        return result;
    }

    Numeric sqrt() {
        if (isExact() && exact.signum() >= 0) {
            Fraction r = exactRoot(exact, 2);
            if (r != null) {
                return exact(r);
            }
        }
        if (im == 0 && re >= 0) {
            return approx(Math.sqrt(re), 0);
        }
        double m = abs();
        double a = Math.sqrt((m + re) / 2);
        double b = Math.copySign(Math.sqrt((m - re) / 2), im == 0 ? 1 : im);
        return approx(a, b);
    }

    /** The real n-th root for real values (so that {@code \sqrt[3]{-8} = -2}), else the principal root. */
    Numeric root(Numeric n) {
        if (n.isExact() && n.exact.isInteger() && n.exact.numerator().bitLength() < 31) {
            int k = n.exact.numerator().intValue();
            if (isExact()) {
                Fraction r = exactRoot(exact, k);
                if (r != null) {
                    return exact(r);
                }
            }
            if (im == 0 && k % 2 == 1) {
                return approx(Math.signum(re) * Math.pow(Math.abs(re), 1.0 / k), 0);
            }
        }
        return pow(ONE.divide(n));
    }

    Numeric exp() {
        double m = Math.exp(re);
        return im == 0 ? approx(m, 0) : approx(m * Math.cos(im), m * Math.sin(im));
    }

    Numeric log() {
        if (im == 0 && re > 0) {
            return approx(Math.log(re), 0);
        }
        return approx(Math.log(abs()), Math.atan2(im, re));
    }

    Numeric sin() {
        if (im == 0) {
            return approx(Math.sin(re), 0);
        }
        return approx(Math.sin(re) * Math.cosh(im), Math.cos(re) * Math.sinh(im));
    }

    Numeric cos() {
        if (im == 0) {
            return approx(Math.cos(re), 0);
        }
        return approx(Math.cos(re) * Math.cosh(im), -Math.sin(re) * Math.sinh(im));
    }

    /** The value rounded to a double (finite or not); exact only while it fits the double's 53 bits. */
    static double toDouble(Fraction f) {
        BigInteger n = f.numerator();
        BigInteger d = f.denominator();
        if (n.bitLength() <= 53 && d.bitLength() <= 53) {
            return (double) n.longValue() / (double) d.longValue();
        }
        if (n.bitLength() - d.bitLength() > 1100) {
            return n.signum() > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        if (d.bitLength() - n.bitLength() > 1100) {
            return 0.0;
        }
        return new BigDecimal(n)
                .divide(new BigDecimal(d), MathContext.DECIMAL64)
                .doubleValue();
    }
}
