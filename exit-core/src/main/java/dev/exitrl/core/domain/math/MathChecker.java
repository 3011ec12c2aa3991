package dev.exitrl.core.domain.math;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The competition-math answer checker, written after math-verify's behaviour: extract the final answer from a
 * response, normalise it, parse it into an expression tree and compare it with the reference.
 *
 * <p><b>Extraction</b> ({@link AnswerExtractor}): the last {@code \boxed{}}, then "final answer" phrasings, then the
 * last LaTeX math span, then the last number on the last line.
 *
 * <p><b>Normalisation</b> ({@link AnswerNormaliser}): LaTeX sizing, spacing, text wrappers, dollar signs, degree
 * marks, units, trailing punctuation, thousands separators, unicode minus and friends.
 *
 * <p><b>Parsing</b> ({@link ExprParser}): numbers (decimals, scientific notation, repeating decimals, mixed
 * numbers), fractions, roots, powers, pi, e, i, functions, factorials and binomials, percentages, relations and
 * chains, sets, intervals, unions, tuples, matrices; words make an answer text.
 *
 * <p><b>Comparison</b> ({@link AnswerComparator}), in order: normalised strings; multiple-choice letters; equal
 * trees; numbers; expressions with variables; collections part by part. The reference leads, on purpose, so that a
 * vague prediction cannot collect the reward:
 *
 * <ul>
 *   <li>Numbers: exact rationals compare exactly ({@code 0.125 = 1/8}, {@code 2^{100}+1 != 2^{100}}). When either
 *       side has a decimal literal, the values may differ by one unit in the {@code max(6, w)}-th significant digit,
 *       {@code w} the digits the decimal writes: {@code 0.333333} is 1/3, {@code 0.333} and {@code 3.14} (for pi)
 *       are not. Values that are only approximate (radicals, pi, e, i, trigonometry, logarithms) are complex
 *       doubles compared with relative tolerance 1e-9.
 *   <li>Percentages: {@code 50\%} equals both 50 and 0.5.
 *   <li>Expressions with variables: equal when they agree at 6 deterministic random points (rationals p/q with
 *       |p| &lt; 40, q &lt; 8, both signs), exactly where both sides are rational there, at least 3 points defined
 *       on both sides. Variables must have the same names. Odd roots of negative reals are real
 *       ({@code x^{2/3} = \sqrt[3]{x}^2}); other powers and roots take the principal complex branch.
 *   <li>Equations: a prediction {@code x = 3} (or {@code 3 = x}) is read as its other side when the reference is not
 *       a relation (a side without variables must equal the reference too: {@code 2^{10} = 1024} states 1024,
 *       {@code 1 = 5} does not state 5); a reference {@code x = 3} accepts {@code 3}. Two relations compare after
 *       flipping {@code >} into {@code <}: same lone variable on the left of {@code =}: the right sides; otherwise
 *       {@code lhs - rhs} equal or proportional (by a positive constant for inequalities).
 *   <li>A reference inequality in one variable ({@code 1 < x \le 2}, {@code x > 3}) accepts the interval
 *       ({@code (1, 2]}, {@code (3, \infty)}); a reference interval does not accept an inequality.
 *   <li>Tuples, intervals and vectors: same brackets, same length, equal in order (a column or row matrix equals a
 *       parenthesised tuple). Sets: unordered, each side's items all found in the other. Bare lists ("1, -2") are
 *       multisets; a reference set or list also accepts the other form. A single reference value accepts a
 *       one-element set, never a list of candidates.
 *   <li>{@code a \pm b} expands to the list {@code a + b, a - b}.
 *   <li>Multiple choice: a reference that is a single letter A-E (optionally in parentheses) accepts a prediction
 *       that starts with that letter as its own token ({@code (C)}, {@code \text{(C)} 12}, {@code C) 12}) and names
 *       no other letter; a reference {@code (C) 12} accepts that letter or the value 12.
 *   <li>Text: equal after lower-casing and removing spaces.
 * </ul>
 *
 * <p><b>Limits</b>: every comparison has a budget of {@value #TIME_LIMIT_MILLIS} ms ({@link CheckBudget}), after
 * which it is "not equivalent"; extracted answers are cut at {@value AnswerExtractor#MAX_ANSWER_CHARS} characters;
 * nesting deeper than {@value ExprParser#MAX_DEPTH} does not parse; exact powers stop at 20,000 bits and exact
 * factorials at 2000!. Nothing here throws on model output.
 */
public final class MathChecker {
    /**
     * The time budget of one {@link #equivalent} call. Typical checks take well under a millisecond; the budget only
     * stops pathological input, and is generous so that a GC pause on a busy machine does not turn a right answer
     * wrong (math-verify's default is 5 s).
     */
    public static final long TIME_LIMIT_MILLIS = 1_000;

    private static final Pattern CHOICE = Pattern.compile("\\(?([A-E])\\)?");
    private static final Pattern CHOICE_PREDICTION =
            Pattern.compile("\\(?([A-E])(?:\\)|(?=[\\s.:,]|$)).*", Pattern.DOTALL);

    private static final Pattern CHOICE_WITH_VALUE = Pattern.compile("\\(([A-E])\\)\\s*(\\S.*)", Pattern.DOTALL);
    private static final Pattern OTHER_CHOICE = Pattern.compile("(?<![A-Za-z\\\\])[A-E](?![A-Za-z])");

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    static {
        // load and initialise every class of the checker outside any budget, so that the first real check of a
        // JVM is not the one that pays for class loading
        equivalent("x = \\frac{1}{2}\\sqrt{3} + (1, 2]", "\\frac{\\sqrt3}{2} + x", 60_000);
    }

    private MathChecker() {}

    /** The final answer of a response, or null when none can be found. */
    public static String extract(String response) {
        try {
            return AnswerExtractor.extract(response);
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    /** True when the response's final answer states the reference answer. */
    public static boolean check(String response, String reference) {
        return equivalent(extract(response), reference);
    }

    /** True when {@code predicted} states the answer {@code reference}; false on anything unreadable or too slow. */
    public static boolean equivalent(String predicted, String reference) {
        return equivalent(predicted, reference, TIME_LIMIT_MILLIS);
    }

    private static boolean equivalent(String predicted, String reference, long timeLimitMillis) {
        if (predicted == null || reference == null) {
            return false;
        }
        CheckBudget budget = CheckBudget.ofMillis(timeLimitMillis);
        try {
            String p = AnswerNormaliser.normalise(cap(predicted));
            String r = AnswerNormaliser.normalise(cap(reference));
            if (p.isEmpty() || r.isEmpty()) {
                return false;
            }
            if (compact(p).equals(compact(r))) {
                return true;
            }
            Matcher choice = CHOICE.matcher(r);
            Matcher choiceWithValue = CHOICE_WITH_VALUE.matcher(r);
            if (choice.matches() || choiceWithValue.matches()) {
                String letter = choice.matches() ? choice.group(1) : choiceWithValue.group(1);
                Matcher predictedChoice = CHOICE_PREDICTION.matcher(p);
                if (predictedChoice.matches()) {
                    // "(C) or (D)" names two choices: a hedge, not an answer
                    String rest = p.substring(predictedChoice.end(1));
                    return predictedChoice.group(1).equals(letter)
                            && !OTHER_CHOICE.matcher(rest).find();
                }
                if (choiceWithValue.matches()) {
                    // the reference "(C) 12" also accepts the value 12 on its own
                    r = choiceWithValue.group(2);
                }
            }
            Expr ref = ExprParser.parse(r, budget);
            Expr pred = ExprParser.parse(p, budget);
            return new AnswerComparator(budget).equal(ref, pred);
        } catch (RuntimeException | StackOverflowError e) {
            // CheckBudget.Exceeded, or a bug on some input: never let model output break a rollout
            return false;
        }
    }

    private static String cap(String s) {
        return s.length() > AnswerExtractor.MAX_ANSWER_CHARS ? s.substring(0, AnswerExtractor.MAX_ANSWER_CHARS) : s;
    }

    private static String compact(String s) {
        return WHITESPACE.matcher(s).replaceAll("");
    }
}
