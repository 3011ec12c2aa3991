package dev.exitrl.core.domain.math;

import dev.exitrl.core.domain.Arithmetic;
import dev.exitrl.core.domain.Arithmetic.Expr;
import dev.exitrl.core.domain.Arithmetic.Num;
import dev.exitrl.core.domain.Arithmetic.Op;
import dev.exitrl.core.domain.Fraction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Seeded multi-step problems with exact answers, in three families:
 *
 * <ul>
 *   <li>{@code arithmetic}: an expression with order of operations and parentheses; {@code difficulty + 1}
 *       operations; operands up to {@code 10 * difficulty}; from difficulty 3 on the answer may be a fraction.</li>
 *   <li>{@code equation}: a linear equation in {@code x}: {@code ax + b = c} (1), {@code ax + b = cx + e} (2),
 *       {@code a(x + b) + c = dx + e} (3+); fractional solutions from difficulty 4.</li>
 *   <li>{@code word}: short word problems (change from a purchase, a shared age, filling with two machines, the
 *       fraction left in a tank), numbers scaled with difficulty.</li>
 * </ul>
 */
final class MathGenerator {
    private final int difficulty;

    MathGenerator(int difficulty) {
        if (difficulty < 1 || difficulty > 5) {
            throw new IllegalArgumentException("difficulty must be in [1, 5], was " + difficulty);
        }
        this.difficulty = difficulty;
    }

    MathProblem next(RandomGenerator rng) {
        return switch (rng.nextInt(3)) {
            case 0 -> arithmetic(rng);
            case 1 -> equation(rng);
            default -> word(rng);
        };
    }

    // ---- arithmetic ----

    MathProblem arithmetic(RandomGenerator rng) {
        while (true) {
            Expr e = randomExpr(rng, difficulty + 1);
            List<MathProblem.Step> steps = new ArrayList<>();
            Fraction value = evaluate(e, steps);
            boolean fractionsAllowed = difficulty >= 3;
            if (value == null || (!fractionsAllowed && !value.isInteger()) || steps.isEmpty()) {
                continue;
            }
            if (value.numerator().abs().bitLength() > 40) {
                continue; // keep answers readable
            }
            String text = "Compute $" + Arithmetic.render(e, MathGenerator::latexOp, Fraction::toLatex) + "$.";
            return new MathProblem("arithmetic", text, steps, value);
        }
    }

    private Expr randomExpr(RandomGenerator rng, int operations) {
        if (operations == 0) {
            return new Num(Fraction.of(1 + rng.nextInt(10 * difficulty)));
        }
        int leftOps = rng.nextInt(operations);
        char symbol = "+-*/".charAt(rng.nextInt(4));
        return new Op(symbol, randomExpr(rng, leftOps), randomExpr(rng, operations - 1 - leftOps));
    }

    /**
     * Evaluates bottom-up, recording one step per operation; null on division by zero, or (below difficulty 3) on
     * a division that does not come out even, so that easy problems stay in the integers throughout.
     */
    private Fraction evaluate(Expr e, List<MathProblem.Step> steps) {
        if (e instanceof Num n) {
            return n.value();
        }
        Op op = (Op) e;
        Fraction l = evaluate(op.left(), steps);
        Fraction r = evaluate(op.right(), steps);
        if (l == null || r == null) {
            return null;
        }
        if (op.symbol() == '/' && r.signum() == 0) {
            return null;
        }
        Fraction v = Arithmetic.apply(op.symbol(), l, r);
        if (op.symbol() == '/' && difficulty < 3 && !v.isInteger()) {
            return null;
        }
        steps.add(new MathProblem.Step(operand(l) + " " + latexOp(op.symbol()) + " " + operand(r), v));
        return v;
    }

    private static String operand(Fraction f) {
        return f.signum() < 0 || !f.isInteger() ? "\\left(" + f.toLatex() + "\\right)" : f.toLatex();
    }

    private static String latexOp(Character symbol) {
        return switch (symbol.charValue()) {
            case '*' -> "\\times";
            case '/' -> "\\div";
            default -> String.valueOf(symbol);
        };
    }

    // ---- equations ----

    MathProblem equation(RandomGenerator rng) {
        int range = 5 * difficulty;
        while (true) {
            // x = p / q, with q = 1 below difficulty 4
            int q = difficulty >= 4 ? 2 + rng.nextInt(4) : 1;
            Fraction x = Fraction.of(signed(rng, range), q);
            if (difficulty >= 4 && x.isInteger()) {
                continue;
            }
            int d = difficulty >= 2 ? signed(rng, 9) : 0;
            int a = d + q * signed(rng, 3); // (a - d) a non-zero multiple of q, so that e below is an integer
            if (a == 0) {
                continue;
            }
            int b = signed(rng, range);
            int c = difficulty >= 3 ? signed(rng, range) : 0;
            // a(x + b) + c = dx + e at difficulty 3+, else ax + b = dx + e
            int constant = difficulty >= 3 ? a * b + c : b;
            Fraction e = Fraction.of(a - d).multiply(x).add(Fraction.of(constant));
            String lhs = difficulty >= 3 ? a + "(x " + plus(b) + ") " + plus(c) : linear(a) + " " + plus(b);
            String rhs =
                    d == 0 ? e.toLatex() : linear(d) + " " + plus(e.numerator().intValueExact());
            Fraction rest = e.subtract(Fraction.of(constant));
            List<MathProblem.Step> steps = List.of(
                    new MathProblem.Step(linear(a - d), rest),
                    new MathProblem.Step("x", rest.divide(Fraction.of(a - d))));
            return new MathProblem("equation", "Solve for $x$: $" + lhs + " = " + rhs + "$.", steps, x);
        }
    }

    private static String linear(int k) {
        return k == 1 ? "x" : k == -1 ? "-x" : k + "x";
    }

    private static String plus(long k) {
        return k < 0 ? "- " + (-k) : "+ " + k;
    }

    /** A non-zero integer in {@code [-range, range]}. */
    private static int signed(RandomGenerator rng, int range) {
        int k = 1 + rng.nextInt(range);
        return rng.nextBoolean() ? k : -k;
    }

    // ---- word problems ----

    MathProblem word(RandomGenerator rng) {
        return switch (rng.nextInt(4)) {
            case 0 -> change(rng);
            case 1 -> ages(rng);
            case 2 -> machines(rng);
            default -> tank(rng);
        };
    }

    private static final String[] NAMES = {"Mia", "Omar", "Lena", "Ravi", "Sofia", "Tom", "Aiko", "Jonas"};
    private static final String[] ITEMS = {"notebooks", "pens", "apples", "stickers", "tickets", "muffins"};

    private MathProblem change(RandomGenerator rng) {
        String name = NAMES[rng.nextInt(NAMES.length)];
        int i = rng.nextInt(ITEMS.length);
        int j = (i + 1 + rng.nextInt(ITEMS.length - 1)) % ITEMS.length;
        int a = 2 + rng.nextInt(3 * difficulty);
        int b = 2 + rng.nextInt(3 * difficulty);
        int p = 1 + rng.nextInt(4 * difficulty);
        int r = 1 + rng.nextInt(4 * difficulty);
        int cost = a * p + b * r;
        int bill = ((cost / 20) + 1) * 20;
        List<MathProblem.Step> steps = List.of(
                new MathProblem.Step(a + " \\times " + p, Fraction.of(a * p)),
                new MathProblem.Step(b + " \\times " + r, Fraction.of(b * r)),
                new MathProblem.Step((a * p) + " + " + (b * r), Fraction.of(cost)),
                new MathProblem.Step(bill + " - " + cost, Fraction.of(bill - cost)));
        String text = name + " buys " + a + " " + ITEMS[i] + " at " + p + " dollars each and " + b + " " + ITEMS[j]
                + " at " + r + " dollars each, and pays with a " + bill
                + "-dollar bill. How many dollars of change does "
                + name + " get?";
        return new MathProblem("word", text, steps, Fraction.of(bill - cost));
    }

    private MathProblem ages(RandomGenerator rng) {
        String older = NAMES[rng.nextInt(NAMES.length)];
        String younger =
                NAMES[(Arrays.asList(NAMES).indexOf(older) + 1 + rng.nextInt(NAMES.length - 1)) % NAMES.length];
        int k = 2 + rng.nextInt(difficulty + 1);
        int young = 2 + rng.nextInt(4 * difficulty);
        int years = 1 + rng.nextInt(5 * difficulty);
        int sum = (k + 1) * young;
        List<MathProblem.Step> steps = List.of(
                new MathProblem.Step(sum + " \\div " + (k + 1), Fraction.of(young)),
                new MathProblem.Step(young + " + " + years, Fraction.of(young + years)));
        String text = older + " is " + k + " times as old as " + younger + ". Together they are " + sum
                + " years old. How old will " + younger + " be in " + years + " years?";
        return new MathProblem("word", text, steps, Fraction.of(young + years));
    }

    private MathProblem machines(RandomGenerator rng) {
        int r = 2 + rng.nextInt(5 * difficulty);
        int s = 2 + rng.nextInt(5 * difficulty);
        int total = difficulty >= 3 ? 10 + rng.nextInt(50 * difficulty) : (r + s) * (1 + rng.nextInt(5 * difficulty));
        Fraction minutes = Fraction.of(total, r + s);
        List<MathProblem.Step> steps = List.of(
                new MathProblem.Step(r + " + " + s, Fraction.of(r + s)),
                new MathProblem.Step(total + " \\div " + (r + s), minutes));
        String text = "One machine fills " + r + " bottles per minute and a second machine fills " + s
                + " bottles per minute. Working together, how many minutes do they need to fill " + total
                + " bottles?";
        return new MathProblem("word", text, steps, minutes);
    }

    private MathProblem tank(RandomGenerator rng) {
        int den = 2 + rng.nextInt(2 + difficulty);
        int num = 1 + rng.nextInt(den - 1);
        int capacity = den * (2 + rng.nextInt(10 * difficulty));
        int inside = capacity / den * num;
        int used = 1 + rng.nextInt(inside);
        Fraction left = Fraction.of(inside - used, capacity);
        List<MathProblem.Step> steps = List.of(
                new MathProblem.Step("\\frac{" + num + "}{" + den + "} \\times " + capacity, Fraction.of(inside)),
                new MathProblem.Step(inside + " - " + used, Fraction.of(inside - used)),
                new MathProblem.Step("\\frac{" + (inside - used) + "}{" + capacity + "}", left));
        String text = "A tank holds " + capacity + " liters and is $\\frac{" + num + "}{" + den + "}$ full. Then "
                + used + " liters are used. What fraction of the tank is full now? Give the fraction in lowest terms.";
        return new MathProblem("word", text, steps, left);
    }
}
