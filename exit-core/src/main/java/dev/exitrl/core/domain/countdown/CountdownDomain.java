package dev.exitrl.core.domain.countdown;

import dev.exitrl.core.domain.Arithmetic;
import dev.exitrl.core.domain.Arithmetic.Expr;
import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Demonstration;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.Fraction;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.domain.RevisionPrompts;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.SplitGenerator;
import dev.exitrl.core.domain.TaskSplits;
import dev.exitrl.core.domain.Verification;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.Turn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Countdown ({@code countdown}): reach a target with an arithmetic expression over given numbers.
 *
 * <p>Response format: the last line of the form {@code Answer: <expression>} (case-insensitive); without one, the
 * whole response if it is a single line. A trailing {@code = <value>} is ignored ({@code 3 * 8 = 24}). The
 * expression uses integers from the given numbers, each at most as often as it is given, {@code + - * /} (also
 * {@code × ÷}) and parentheses; no unary minus. It is evaluated with exact rationals. Unknown or reused numbers,
 * division by zero and syntax errors make it invalid: quality 0, and the feedback says why.
 *
 * <p>Quality of a valid expression with value {@code v} for target {@code t}: 1 if {@code v = t}, else
 * {@code q = 0.9 / (1 + |v - t| / s)} with scale {@code s = max(1, |t| / 10)}. So q is in (0, 0.9], strictly
 * decreasing in the distance, and being off by a tenth of the target gives 0.45. Default reward mode:
 * {@link RewardMode#IMPROVEMENT}, since graded quality makes the gain of a revision measurable.
 */
public final class CountdownDomain implements Domain {
    public static final String ID = "countdown";
    static final String ANSWER_INSTRUCTION =
            "Use each number at most once, with + - * / and parentheses. End with a line 'Answer: <expression>'.";
    /** The largest quality an inexact answer can get. */
    static final double INEXACT_CEILING = 0.9;

    private static final Pattern ANSWER_LINE = Pattern.compile("(?im)^[\\s*]*answer\\s*[*]*\\s*:\\s*[*]*(.*)$");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public RewardMode defaultRewardMode() {
        return RewardMode.IMPROVEMENT;
    }

    @Override
    public TaskSplits generate(GeneratorSpec spec) {
        CountdownGenerator generator = new CountdownGenerator(spec.difficulty());
        return SplitGenerator.generate(ID, spec, rng -> {
            CountdownPuzzle p = generator.next(rng);
            return new SplitGenerator.Candidate(p.problem(), p.payload(), p.contentKey());
        });
    }

    @Override
    public String renderPrompt(BaseTask task, StepKind kind, History history) {
        String problem = "Make the target from the numbers.\n" + task.problem();
        return RevisionPrompts.render(problem, ANSWER_INSTRUCTION, kind, history);
    }

    @Override
    public String parseAnswer(String response) {
        if (response == null) {
            return null;
        }
        Matcher m = ANSWER_LINE.matcher(response);
        String expression = null;
        while (m.find()) {
            expression = m.group(1);
        }
        if (expression == null) {
            String whole = response.strip();
            if (whole.isEmpty() || whole.contains("\n")) {
                return null;
            }
            expression = whole;
        }
        int equals = expression.indexOf('=');
        if (equals >= 0) {
            expression = expression.substring(0, equals);
        }
        expression = expression.replace("`", "").replace("$", "").strip();
        return expression.isEmpty() ? null : expression;
    }

    @Override
    public Verification verify(BaseTask task, String response) {
        CountdownPuzzle.Instance instance = CountdownPuzzle.read(task);
        String answer = parseAnswer(response);
        if (answer == null) {
            return Verification.invalid("No expression found: end with a line 'Answer: <expression>'.", null);
        }
        Expr expr;
        try {
            expr = Arithmetic.parse(answer);
        } catch (Arithmetic.SyntaxException e) {
            return Verification.invalid("Invalid expression: " + e.getMessage() + ".", answer);
        }
        String misuse = misuse(Arithmetic.literals(expr), instance.numbers());
        if (misuse != null) {
            return Verification.invalid("Invalid expression: " + misuse + ".", answer);
        }
        Fraction value;
        try {
            value = Arithmetic.evaluate(expr);
        } catch (ArithmeticException e) {
            return Verification.invalid("Invalid expression: it divides by zero.", answer);
        }
        Fraction target = Fraction.of(instance.target());
        if (value.equals(target)) {
            return new Verification(1.0, true, "Correct: the expression equals the target.", answer);
        }
        Fraction distance = value.subtract(target).abs();
        return new Verification(
                closeness(distance, instance.target()),
                false,
                "The expression equals " + value + ", which is " + distance + " away from the target " + target + ".",
                answer);
    }

    /** {@code 0.9 / (1 + d / s)}, {@code s = max(1, |t| / 10)}; see the class comment. */
    static double closeness(Fraction distance, int target) {
        double scale = Math.max(1.0, Math.abs(target) / 10.0);
        return INEXACT_CEILING / (1.0 + distance.toDouble() / scale);
    }

    /** Why the literals are not a sub-multiset of the given numbers, or null when they are. */
    private static String misuse(List<Fraction> literals, List<Integer> numbers) {
        Map<Fraction, Integer> left = new HashMap<>();
        for (int n : numbers) {
            left.merge(Fraction.of(n), 1, Integer::sum);
        }
        for (Fraction literal : literals) {
            Integer count = left.get(literal);
            if (count == null) {
                return literal + " is not one of the given numbers " + numbers;
            }
            if (count == 0) {
                return literal + " is used more often than it is given";
            }
            left.put(literal, count - 1);
        }
        return null;
    }

    /**
     * Cycles through six kinds of example on generated puzzles (difficulty 1 to 5 at random): an exact solve, an
     * inexact first attempt (the closest of a few random expressions), improve from it to the exact solution,
     * improve from a far attempt to that closer one (quality stays below 1), debug from an invalid attempt (the
     * target written as a number) to the exact solution, and diverge from the inexact attempt.
     */
    @Override
    public List<Demonstration> demonstrations(long seed, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Demonstration> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int difficulty = 1 + rng.nextInt(GeneratorSpec.MAX_DIFFICULTY);
            CountdownPuzzle p = new CountdownGenerator(difficulty).next(rng.split());
            BaseTask task = p.toTask(Split.TRAIN);
            String exact = respond(p.solution());
            List<Expr> misses = inexactAttempts(p, rng);
            String near = respond(misses.get(0));
            String far = respond(misses.get(misses.size() - 1));
            out.add(
                    switch (i % 6) {
                        case 0 -> demonstrate(task, StepKind.SOLVE, History.empty(), exact);
                        case 1 -> demonstrate(task, StepKind.SOLVE, History.empty(), near);
                        case 2 -> demonstrate(task, StepKind.IMPROVE, attempt(task, near), exact);
                        case 3 -> demonstrate(task, StepKind.IMPROVE, attempt(task, far), near);
                        case 4 -> demonstrate(task, StepKind.DEBUG, attempt(task, "Answer: " + p.target()), exact);
                        default ->
                            demonstrate(
                                    task,
                                    StepKind.DIVERGE,
                                    attempt(task, near),
                                    "Previous approach: " + Arithmetic.render(misses.get(0))
                                            + " builds on numbers that do not "
                                            + "reach the target exactly.\nNew approach: combine other numbers first.\n"
                                            + exact);
                    });
        }
        return out;
    }

    private History attempt(BaseTask task, String response) {
        return History.of(new Turn(response, 1, verify(task, response).feedback()));
    }

    private static String respond(Expr e) {
        return Arithmetic.render(e) + " = " + Arithmetic.evaluate(e) + "\nAnswer: " + Arithmetic.render(e);
    }

    /**
     * Valid expressions over the puzzle's numbers that miss the target, closest first (at least one: a sum of
     * two numbers differs from a target that is not itself a given number, or the search keeps drawing).
     */
    private static List<Expr> inexactAttempts(CountdownPuzzle p, SplittableRandom rng) {
        Fraction target = Fraction.of(p.target());
        List<Expr> misses = new ArrayList<>();
        for (int tries = 0; misses.size() < 12 && tries < 300; tries++) {
            List<Integer> pool = new ArrayList<>(p.numbers());
            CountdownGenerator.shuffle(pool, rng);
            Expr e = new Arithmetic.Num(Fraction.of(pool.get(0)));
            int length = 2 + rng.nextInt(pool.size() - 1);
            for (int k = 1; k < length; k++) {
                e = new Arithmetic.Op("+-*".charAt(rng.nextInt(3)), e, new Arithmetic.Num(Fraction.of(pool.get(k))));
            }
            if (!Arithmetic.evaluate(e).equals(target)) {
                misses.add(e);
            }
        }
        if (misses.isEmpty()) {
            throw new IllegalStateException("no inexact attempt found for " + p.problem());
        }
        misses.sort(Comparator.comparing(
                e -> Arithmetic.evaluate(e).subtract(target).abs()));
        return misses;
    }
}
