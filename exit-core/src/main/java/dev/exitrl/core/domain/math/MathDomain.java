package dev.exitrl.core.domain.math;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Demonstration;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.Fraction;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.domain.RevisionPrompts;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.SplitGenerator;
import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.domain.TaskSplits;
import dev.exitrl.core.domain.Verification;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.Turn;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Competition math ({@code math}): a problem with one exact final answer. Tasks come from {@link MathGenerator}
 * or from JSONL (MATH, MATH500, GSM8K converted). The response states its final answer in {@code \boxed{...}} (or,
 * as fallbacks, a "final answer" phrase, a LaTeX span or a number on the last line); it is correct when
 * {@link MathChecker#equivalent} to the reference, a checker that follows math-verify, the paper's checker. Quality
 * is binary (1 correct, else 0) and the default reward mode is {@link RewardMode#ABSOLUTE}, as in the paper's
 * appendix for math.
 *
 * <p>Payload ({@code data}): {@code answer} (the reference, LaTeX), and optionally {@code solution}, {@code level},
 * {@code subject}, {@code family}, {@code difficulty}, {@code source} ({@code generated} or {@code import}).
 */
public final class MathDomain implements Domain {
    public static final String ID = "math";
    static final String ANSWER_INSTRUCTION = "Work step by step, then give the final answer as \\boxed{answer}.";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String version() {
        return "2"; // 2: the verifier is MathChecker (symbolic answers, decimals within 6 significant digits)
    }

    @Override
    public RewardMode defaultRewardMode() {
        return RewardMode.ABSOLUTE;
    }

    @Override
    public TaskSplits generate(GeneratorSpec spec) {
        MathGenerator generator = new MathGenerator(spec.difficulty());
        return SplitGenerator.generate(ID, spec, rng -> {
            MathProblem p = generator.next(rng);
            return new SplitGenerator.Candidate(p.text(), payload(p, spec.difficulty()), p.text());
        });
    }

    private static ObjectNode payload(MathProblem p, int difficulty) {
        ObjectNode data = TaskJson.mapper().createObjectNode();
        data.put("answer", p.answer().toLatex());
        data.put("solution", p.solution());
        data.put("family", p.family());
        data.put("difficulty", difficulty);
        data.put("source", "generated");
        return data;
    }

    @Override
    public boolean supportsImport() {
        return true;
    }

    @Override
    public List<BaseTask> importJsonl(Reader jsonLines, Split split) {
        return MathJsonlImporter.read(jsonLines, split);
    }

    @Override
    public String renderPrompt(BaseTask task, StepKind kind, History history) {
        return RevisionPrompts.render("Problem: " + task.problem(), ANSWER_INSTRUCTION, kind, history);
    }

    @Override
    public String parseAnswer(String response) {
        return MathChecker.extract(response);
    }

    @Override
    public Verification verify(BaseTask task, String response) {
        JsonNode reference = task.data().get("answer");
        if (reference == null || !reference.isString()) {
            throw new IllegalArgumentException("math task " + task.id() + " has no string field data.answer");
        }
        String answer = parseAnswer(response);
        if (answer == null) {
            return Verification.invalid(
                    "No final answer found: give it as \\boxed{answer} or on a last line 'Answer: ...'.", null);
        }
        if (MathChecker.equivalent(answer, reference.stringValue())) {
            return new Verification(1.0, true, "The final answer is correct.", answer);
        }
        return new Verification(0.0, false, "The final answer " + answer + " is not correct.", answer);
    }

    /**
     * Cycles through six kinds of example on generated problems (difficulty 1 to 5 at random): a correct solve, a
     * solve with a slip in its last step (quality 0), improve and debug from that slip to the correct solution,
     * diverge from it (stating the old and the new approach), and improve from a correct answer (which keeps it).
     * Diverge examples name a different approach but reuse the same worked steps.
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
            MathProblem p = new MathGenerator(difficulty).next(rng.split());
            BaseTask task =
                    new BaseTask(ID, BaseTask.contentId(ID, p.text()), Split.TRAIN, p.text(), payload(p, difficulty));
            Fraction wrong = slip(p.answer(), rng);
            String right = respond(p.solution(), p.answer());
            String slipped = respond(p.solutionEndingWith(wrong), wrong);
            out.add(
                    switch (i % 6) {
                        case 0 -> demonstrate(task, StepKind.SOLVE, History.empty(), right);
                        case 1 -> demonstrate(task, StepKind.SOLVE, History.empty(), slipped);
                        case 2 -> demonstrate(task, StepKind.IMPROVE, History.of(Turn.of(slipped, 1)), right);
                        case 3 -> demonstrate(task, StepKind.DIVERGE, History.of(Turn.of(slipped, 1)), diverge(p));
                        case 4 ->
                            demonstrate(
                                    task,
                                    StepKind.DEBUG,
                                    History.of(new Turn(
                                            slipped, 1, verify(task, slipped).feedback())),
                                    right);
                        default -> demonstrate(task, StepKind.IMPROVE, History.of(Turn.of(right, 1)), right);
                    });
        }
        return out;
    }

    private static String respond(String solution, Fraction answer) {
        return solution + "\nThe final answer is $\\boxed{" + answer.toLatex() + "}$.";
    }

    private static String diverge(MathProblem p) {
        String[] approaches = switch (p.family()) {
            case "equation" ->
                new String[] {
                    "it moved every term to one side in one go",
                    "collect the x terms on the left and the numbers on the right, then divide, and check by substituting"
                };
            case "word" ->
                new String[] {
                    "it computed the quantities in the order they appear in the text",
                    "write down what is asked first, then compute only the quantities needed for it, one per line"
                };
            default ->
                new String[] {
                    "it evaluated the whole expression at once",
                    "evaluate the innermost parentheses first, then products and quotients, then sums and differences"
                };
        };
        return "Previous approach: " + approaches[0] + ".\nNew approach: " + approaches[1] + ".\n"
                + respond(p.solution(), p.answer());
    }

    /** A plausible wrong answer: off by one, doubled, or with the sign flipped. */
    private static Fraction slip(Fraction answer, RandomGenerator rng) {
        Fraction wrong = switch (rng.nextInt(3)) {
            case 0 -> answer.add(Fraction.of(rng.nextBoolean() ? 1 : -1));
            case 1 -> answer.multiply(Fraction.of(2));
            default -> answer.negate();
        };
        return wrong.equals(answer) ? answer.add(Fraction.ONE) : wrong;
    }
}
