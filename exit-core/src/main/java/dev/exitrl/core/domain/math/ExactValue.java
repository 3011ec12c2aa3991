package dev.exitrl.core.domain.math;

import dev.exitrl.core.domain.Fraction;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An exact real number of the form {@code sum_i c_i * sqrt(r_i) * pi^k_i} with rational {@code c_i}, square-free
 * integer {@code r_i} and integer {@code k_i}. This covers the closed forms competition answers use (fractions,
 * simple radicals, multiples of pi) while keeping equality exact: two values are equal iff their term maps are.
 * Division is exact only by a single term; anything else (rationalising {@code 1/(1+sqrt 2)}, nested radicals)
 * is rejected and the caller falls back to comparing text.
 */
final class ExactValue {
    /** Key of one term: {@code sqrt(radicand) * pi^piPower}. */
    private record Term(BigInteger radicand, int piPower) {}

    // Square-free factorisation is by trial division; larger radicands are not worth the time for answer checking.
    private static final BigInteger MAX_RADICAND = BigInteger.valueOf(1_000_000_000_000L);

    static final ExactValue ZERO = new ExactValue(Map.of());
    static final ExactValue PI = new ExactValue(Map.of(new Term(BigInteger.ONE, 1), Fraction.ONE));

    private final Map<Term, Fraction> terms;

    private ExactValue(Map<Term, Fraction> terms) {
        this.terms = Map.copyOf(terms);
    }

    static ExactValue of(Fraction rational) {
        if (rational.signum() == 0) {
            return ZERO;
        }
        return new ExactValue(Map.of(new Term(BigInteger.ONE, 0), rational));
    }

    /** The rational value, or null when this value has a radical or pi term. */
    Fraction asRational() {
        if (terms.isEmpty()) {
            return Fraction.ZERO;
        }
        if (terms.size() != 1) {
            return null;
        }
        var e = terms.entrySet().iterator().next();
        return e.getKey().radicand().equals(BigInteger.ONE) && e.getKey().piPower() == 0 ? e.getValue() : null;
    }

    ExactValue add(ExactValue other) {
        Map<Term, Fraction> sum = new HashMap<>(terms);
        other.terms.forEach((term, c) -> {
            Fraction s = sum.getOrDefault(term, Fraction.ZERO).add(c);
            if (s.signum() == 0) {
                sum.remove(term);
            } else {
                sum.put(term, s);
            }
        });
        return new ExactValue(sum);
    }

    ExactValue negate() {
        Map<Term, Fraction> neg = new HashMap<>();
        terms.forEach((term, c) -> neg.put(term, c.negate()));
        return new ExactValue(neg);
    }

    ExactValue subtract(ExactValue other) {
        return add(other.negate());
    }

    ExactValue multiply(ExactValue other) {
        ExactValue product = ZERO;
        for (var a : terms.entrySet()) {
            for (var b : other.terms.entrySet()) {
                BigInteger r1 = a.getKey().radicand();
                BigInteger r2 = b.getKey().radicand();
                // r1, r2 square-free: r1*r2 = g^2 * (r1/g)*(r2/g) with the last product square-free again.
                BigInteger g = r1.gcd(r2);
                Fraction c = a.getValue().multiply(b.getValue()).multiply(Fraction.of(g, BigInteger.ONE));
                Term t = new Term(
                        r1.divide(g).multiply(r2.divide(g)),
                        a.getKey().piPower() + b.getKey().piPower());
                product = product.add(new ExactValue(Map.of(t, c)));
            }
        }
        return product;
    }

    /** @throws ArithmeticException on division by zero or by a sum of several terms */
    ExactValue divide(ExactValue other) {
        if (other.terms.isEmpty()) {
            throw new ArithmeticException("division by zero");
        }
        if (other.terms.size() != 1) {
            throw new ArithmeticException("division by a sum is not supported");
        }
        var e = other.terms.entrySet().iterator().next();
        Term t = e.getKey();
        // 1 / (c sqrt(r) pi^k) = sqrt(r) pi^-k / (c r)
        Fraction c = Fraction.ONE.divide(e.getValue().multiply(Fraction.of(t.radicand(), BigInteger.ONE)));
        return multiply(new ExactValue(Map.of(new Term(t.radicand(), -t.piPower()), c)));
    }

    /** {@code this^exponent} for an integer exponent (bounded so that a malicious answer cannot blow up memory). */
    ExactValue pow(int exponent) {
        if (Math.abs(exponent) > 4096 || (terms.size() > 1 && Math.abs(exponent) > 16)) {
            throw new ArithmeticException("exponent too large");
        }
        if (exponent < 0) {
            return of(Fraction.ONE).divide(pow(-exponent));
        }
        Fraction rational = asRational();
        if (rational != null) {
            return of(rational.pow(exponent));
        }
        ExactValue result = of(Fraction.ONE);
        for (int i = 0; i < exponent; i++) {
            result = result.multiply(this);
        }
        return result;
    }

    /**
     * The exact {@code n}-th root of a non-negative rational ({@code n >= 2}); square roots may leave a radical
     * ({@code sqrt(8) = 2 sqrt 2}), higher roots must come out rational.
     *
     * @throws ArithmeticException when the root is not representable
     */
    ExactValue root(int n) {
        Fraction q = asRational();
        if (q == null || q.signum() < 0 || n < 2) {
            throw new ArithmeticException("unsupported root");
        }
        if (q.signum() == 0) {
            return ZERO;
        }
        if (n == 2) {
            // sqrt(p/q) = sqrt(p*q) / q
            BigInteger pq = q.numerator().multiply(q.denominator());
            if (pq.compareTo(MAX_RADICAND) > 0) {
                throw new ArithmeticException("radicand too large");
            }
            BigInteger[] split = squareFreeSplit(pq);
            Fraction c = Fraction.of(split[0], q.denominator());
            return split[1].equals(BigInteger.ONE) ? of(c) : new ExactValue(Map.of(new Term(split[1], 0), c));
        }
        BigInteger num = exactRoot(q.numerator(), n);
        BigInteger den = exactRoot(q.denominator(), n);
        if (num == null || den == null) {
            throw new ArithmeticException("root is not rational");
        }
        return of(Fraction.of(num, den));
    }

    /** {@code n = a^2 * b} with {@code b} square-free; returns {@code {a, b}}. */
    private static BigInteger[] squareFreeSplit(BigInteger n) {
        long rest = n.longValueExact();
        long outside = 1;
        for (long p = 2; p * p <= rest; p++) {
            while (rest % (p * p) == 0) {
                rest /= p * p;
                outside *= p;
            }
        }
        return new BigInteger[] {BigInteger.valueOf(outside), BigInteger.valueOf(rest)};
    }

    private static BigInteger exactRoot(BigInteger value, int n) {
        if (value.bitLength() > 62) {
            return null;
        }
        long guess = Math.round(Math.pow(value.doubleValue(), 1.0 / n));
        for (long candidate = Math.max(0, guess - 1); candidate <= guess + 1; candidate++) {
            if (BigInteger.valueOf(candidate).pow(n).equals(value)) {
                return BigInteger.valueOf(candidate);
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExactValue v && terms.equals(v.terms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(terms);
    }

    @Override
    public String toString() {
        if (terms.isEmpty()) {
            return "0";
        }
        StringBuilder s = new StringBuilder();
        terms.forEach((t, c) -> {
            if (s.length() > 0) {
                s.append(" + ");
            }
            s.append(c);
            if (!t.radicand().equals(BigInteger.ONE)) {
                s.append("*sqrt(").append(t.radicand()).append(')');
            }
            if (t.piPower() != 0) {
                s.append("*pi^").append(t.piPower());
            }
        });
        return s.toString();
    }
}
