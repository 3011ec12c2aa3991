package dev.exitrl.core.domain.mle;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Demonstration;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.SplitGenerator;
import dev.exitrl.core.domain.TaskImportException;
import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.domain.TaskSplits;
import dev.exitrl.core.domain.Verification;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.Turn;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ML engineering ({@code mle}), modelled on the paper's MLE-bench setting: the response is a solution, the solution
 * is run under a time limit, graded on a hidden split and normalised to [0, 1]. Model-written code is never executed:
 * a solution is a pipeline in a small text language ({@link PipelineSpec#LANGUAGE}), fenced as
 * <code>```pipeline ... ```</code>, executed by our own learners.
 *
 * <p><b>Why our own learners, not Tribuo.</b> Tribuo 4.3 (Apache-2.0) resolves for Java 17, but its trainers pull in
 * OLCUT, protobuf-java and Tribuo's core, math and data modules for six small algorithms, and they cannot be stopped
 * mid-fit: a wall-clock limit would need a killed thread. The learners here ({@link Learners}, {@link Trees}: softmax
 * and least-squares regression by gradient descent, histogram CART, random forest, Newton gradient boosting, k-NN)
 * are a few hundred lines, check a cooperative {@link Budget} in every loop (timeouts stop cleanly and
 * deterministically) and are deterministic for a seed.
 *
 * <p><b>Grading.</b> Score {@code r} of the metric on the hidden split; {@code worst} = the score of the
 * {@code constant} model (training prior or mean: AUC 0.5, the majority rate, the prior's log loss, the spread of the
 * target); {@code best} = the score of the competition's reference pipeline, a hand-tuned pipeline per family
 * ({@link CompetitionFamily}), computed on first use and cached. Quality = {@code (r - worst) / (best - worst)}
 * clipped to [0, 1] (a solution that beats the reference gets 1 and counts as correct). Runs have a wall-clock limit
 * (default 60 s) and a memory guard (default 1 GB, estimated before each large allocation).
 *
 * <p><b>Errors.</b> An unparseable pipeline, an invalid hyperparameter, a data error (categorical or missing values
 * reaching the model), a diverged fit, a timeout or an out-of-memory stop gives quality 0 and an error trace as
 * feedback starting with {@value #ERROR_PREFIX}; {@link #attemptFailed} then says the next step is {@code DEBUG},
 * whose prompt (alone) shows the trace. Improve and diverge prompts show the brief and the previous solution only.
 *
 * <p>A generated task's problem is the competition's header (name, task, metric, description, split sizes), so that
 * generating thousands of tasks stays cheap; prompts add the data summary (columns, missing rates, class balance,
 * first rows) from the data, regenerated from the seed on first use and cached. An imported task's problem is the
 * whole brief.
 *
 * <p>Competitions: ten generated families (seven for training, three held out, see {@link CompetitionFamily}) and
 * {@link #importJsonl imported} real ones. Default reward mode {@link RewardMode#MLE} (the paper's appendix).
 */
public final class MleDomain implements Domain {
    public static final String ID = "mle";
    static final String ERROR_PREFIX = "ERROR";
    static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(60);
    static final long DEFAULT_MEMORY_LIMIT_BYTES = 1_000_000_000L;
    static final String ANSWER_INSTRUCTION = "Answer with the whole pipeline in a block that starts with a line"
            + " ```pipeline and ends with a line ```.";
    static final String DEFAULT_IMPORT_REFERENCE =
            "impute strategy=median\nonehot\nstandardise\nmodel gbt trees=150 depth=3 rate=0.1 min_leaf=5";

    private static final Pattern BLOCK = Pattern.compile("```[ \\t]*(pipeline)?[ \\t]*\\r?\\n(.*?)```", Pattern.DOTALL);
    private static final int CACHE_SIZE = 64;
    /** The reference and baseline runs that set a competition's scale get this many times the solution's limit. */
    private static final long REFERENCE_TIME_FACTOR = 5;
    /** Demonstrations use the smallest training split (difficulty 5), which is the cheapest to grade. */
    private static final int DEMONSTRATION_DIFFICULTY = 5;

    private final long timeLimitMillis;
    private final long memoryLimitBytes;
    private final Map<String, Competition> competitions = lru(CACHE_SIZE);
    private final Map<String, Verification> verifications = lru(4 * CACHE_SIZE);
    private final Map<String, double[]> scales = new ConcurrentHashMap<>();

    /** The domain with the default limits (60 s, 1 GB), as the registry creates it. */
    public MleDomain() {
        this(DEFAULT_TIME_LIMIT, DEFAULT_MEMORY_LIMIT_BYTES);
    }

    public MleDomain(Duration timeLimit, long memoryLimitBytes) {
        if (timeLimit.isNegative() || timeLimit.isZero() || memoryLimitBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.timeLimitMillis = timeLimit.toMillis();
        this.memoryLimitBytes = memoryLimitBytes;
    }

    private static <V> Map<String, V> lru(int size) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > size;
            }
        });
    }

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
        return RewardMode.MLE;
    }

    /** Training tasks come from the training families, test tasks from the held-out ones. */
    @Override
    public TaskSplits generate(GeneratorSpec spec) {
        TaskSplits test = SplitGenerator.generate(
                ID,
                new GeneratorSpec(spec.seed(), spec.difficulty(), 0, spec.testCount()),
                rng -> candidate(CompetitionFamily.forSplit(false), rng.nextInt(100), rng.nextLong(), spec));
        TaskSplits train = SplitGenerator.generate(
                ID,
                new GeneratorSpec(spec.seed(), spec.difficulty(), spec.trainCount(), 0),
                rng -> candidate(CompetitionFamily.forSplit(true), rng.nextInt(100), rng.nextLong(), spec));
        return new TaskSplits(train.train(), test.test());
    }

    private SplitGenerator.Candidate candidate(
            List<CompetitionFamily> families, int pick, long seed, GeneratorSpec spec) {
        CompetitionFamily family = families.get(pick % families.size());
        ObjectNode data = TaskJson.mapper().createObjectNode();
        data.put("source", "generated");
        data.put("family", family.id);
        data.put("seed", seed);
        data.put("difficulty", spec.difficulty());
        data.put("reference", family.reference);
        return new SplitGenerator.Candidate(
                family.header(seed, spec.difficulty()), data, family.id + "/" + seed + "/" + spec.difficulty());
    }

    static BaseTask generatedTask(CompetitionFamily family, long seed, int difficulty, Split split) {
        ObjectNode data = TaskJson.mapper().createObjectNode();
        data.put("source", "generated");
        data.put("family", family.id);
        data.put("seed", seed);
        data.put("difficulty", difficulty);
        data.put("reference", family.reference);
        return new BaseTask(
                ID,
                BaseTask.contentId(ID, family.id + "/" + seed + "/" + difficulty),
                split,
                family.header(seed, difficulty),
                data);
    }

    private static boolean isGenerated(BaseTask task) {
        return !"imported".equals(task.data().path("source").asString(""));
    }

    /** The competition a task stands for (data regenerated from the seed, or read from the imported CSV). */
    Competition competition(BaseTask task) {
        Competition cached = competitions.get(task.id());
        if (cached != null) {
            return cached;
        }
        JsonNode d = task.data();
        Competition c = !isGenerated(task)
                ? Imports.competition(d)
                : CompetitionFamily.fromId(d.path("family").asString())
                        .generate(d.path("seed").asLong(), d.path("difficulty").asInt(1));
        competitions.put(task.id(), c);
        return c;
    }

    /** {@code [worst, best]}: the constant model's and the reference pipeline's score (see the class comment). */
    double[] scale(BaseTask task) {
        return scales.computeIfAbsent(task.id(), id -> {
            Competition c = competition(task);
            // the scale is the competition's, not the solution's: a slow machine must not fail a reference run
            long generous = REFERENCE_TIME_FACTOR * timeLimitMillis;
            double worst = PipelineRunner.score(
                    PipelineSpec.parse("model constant"), c, new Budget(generous, memoryLimitBytes));
            double best;
            try {
                best = PipelineRunner.score(
                        PipelineSpec.parse(c.reference()), c, new Budget(generous, memoryLimitBytes));
            } catch (PipelineException e) {
                throw new IllegalStateException("the reference pipeline of " + c.name() + " failed: " + trace(e), e);
            }
            return new double[] {worst, best};
        });
    }

    @Override
    public String renderPrompt(BaseTask task, StepKind kind, History history) {
        StringBuilder p = new StringBuilder("Solve this tabular machine-learning competition with a pipeline.\n\n")
                .append(task.problem().strip())
                .append('\n');
        if (isGenerated(task)) {
            // a generated task's problem is the header only (cheap to generate); the data summary comes from the data
            p.append(competition(task).dataSummary());
        }
        p.append('\n').append(PipelineSpec.LANGUAGE).append('\n');
        if (kind == StepKind.SOLVE) {
            if (!history.isEmpty()) {
                throw new IllegalArgumentException("a SOLVE prompt takes an empty history");
            }
            return p.append(ANSWER_INSTRUCTION).toString();
        }
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a " + kind + " prompt needs a previous attempt");
        }
        Turn latest = history.latest();
        p.append("Previous solution:\n").append(latest.response().strip()).append("\n\n");
        switch (kind) {
            case DEBUG ->
                p.append("It failed when it was run:\n")
                        .append(latest.hasFeedback() ? latest.feedback().strip() : "(no error message)")
                        .append("\n\nFind the cause, fix it, and give the whole corrected pipeline.\n");
            case DIVERGE ->
                p.append("Take a significantly different approach. First state the approach the previous solution"
                        + " used. Then propose a different approach. Then write the pipeline for the new approach.\n");
            default -> p.append("Improve the previous solution so that it scores better on the hidden test split.\n");
        }
        return p.append(ANSWER_INSTRUCTION).toString();
    }

    /** The last fenced block tagged {@code pipeline}, else the last fenced block; null when there is none. */
    @Override
    public String parseAnswer(String response) {
        if (response == null) {
            return null;
        }
        Matcher m = BLOCK.matcher(response);
        String tagged = null;
        String any = null;
        while (m.find()) {
            if (m.group(1) != null) {
                tagged = m.group(2);
            }
            any = m.group(2);
        }
        String block = tagged != null ? tagged : any;
        return block == null || block.isBlank() ? null : block.strip();
    }

    @Override
    public Verification verify(BaseTask task, String response) {
        String spec = parseAnswer(response);
        if (spec == null) {
            return Verification.invalid(
                    ERROR_PREFIX + " (syntax error): no pipeline found. " + ANSWER_INSTRUCTION, null);
        }
        String key = task.id() + "\u0000" + spec;
        Verification cached = verifications.get(key);
        if (cached != null) {
            return cached;
        }
        Verification v = grade(task, spec);
        verifications.put(key, v);
        return v;
    }

    private Verification grade(BaseTask task, String spec) {
        Competition c = competition(task);
        double[] scale = scale(task);
        double r;
        try {
            PipelineSpec parsed = PipelineSpec.parse(spec);
            // runs are deterministic: the reference pipeline's score is already known
            r = parsed.equals(PipelineSpec.parse(c.reference()))
                    ? scale[1]
                    : PipelineRunner.score(parsed, c, new Budget(timeLimitMillis, memoryLimitBytes));
        } catch (PipelineException e) {
            return Verification.invalid(trace(e), spec);
        }
        double q = c.metric().normalise(r, scale[0], scale[1]);
        String feedback = String.format(
                Locale.ROOT,
                "Hidden-split %s %.4f (constant baseline %.4f, reference %.4f): normalised score %.3f.",
                c.metric().id(),
                r,
                scale[0],
                scale[1],
                q);
        return new Verification(q, q == 1.0, feedback, spec);
    }

    /** The error trace: {@code ERROR (<kind>) at line N: <line>} then the message. */
    static String trace(PipelineException e) {
        return ERROR_PREFIX + " (" + e.kind().label + ")" + (e.where() == null ? "" : " at " + e.where()) + "\n"
                + e.getMessage();
    }

    /** A turn whose feedback is an error trace failed to run: the next step debugs it. */
    @Override
    public boolean attemptFailed(Turn latest) {
        return latest != null && latest.feedback() != null && latest.feedback().startsWith(ERROR_PREFIX);
    }

    @Override
    public boolean supportsImport() {
        return true;
    }

    /**
     * One competition per line: {@code {"name", "task": "binary|multiclass|regression", "metric":
     * "auc|accuracy|log_loss|rmse", "target": <column>, "train_csv": <CSV text>, "test_csv": <CSV text>,
     * "description"?, "reference"?: <pipeline>}} (see {@link Csv} for the CSV rules). The test CSV's target is the
     * hidden answer. Without a reference, {@value #DEFAULT_IMPORT_REFERENCE} (with line breaks) defines the top of
     * the scale.
     */
    @Override
    public List<BaseTask> importJsonl(Reader jsonLines, Split split) {
        List<BaseTask> tasks = new ArrayList<>();
        List<TaskImportException.LineError> errors = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(jsonLines)) {
            String line;
            long number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = TaskJson.mapper().readTree(line);
                    ObjectNode data = Imports.validate(node);
                    Competition c = Imports.competition(data);
                    tasks.add(new BaseTask(ID, BaseTask.contentId(ID, data.toString()), split, c.brief(), data));
                } catch (JacksonException e) {
                    errors.add(new TaskImportException.LineError(number, "not valid JSON: " + e.getOriginalMessage()));
                } catch (IllegalArgumentException e) {
                    errors.add(new TaskImportException.LineError(number, e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!errors.isEmpty()) {
            throw new TaskImportException(errors);
        }
        return tasks;
    }

    /**
     * Cycles through six kinds of example on competitions of the training families (at the smallest training split, one competition per family): the reference
     * pipeline as a solve, a weak solve (k-NN on unscaled ordinal codes), improve from the weak solve to the
     * reference, debug from a pipeline with an invalid hyperparameter, diverge from the weak solve, and improve from
     * a plain linear model.
     */
    @Override
    public List<Demonstration> demonstrations(long seed, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<CompetitionFamily> families = CompetitionFamily.forSplit(true);
        List<Demonstration> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            CompetitionFamily family = families.get(rng.nextInt(families.size()));
            // one competition per family and call: each is graded once and then served from the caches
            BaseTask task = generatedTask(family, seed, DEMONSTRATION_DIFFICULTY, Split.TRAIN);
            String reference = fence(family.reference);
            String weak = fence("impute strategy=zero\nordinal\nmodel knn k=3");
            String broken = fence(
                    family.reference.replaceFirst("trees=\\d+", "trees=0").replaceFirst("epochs=\\d+", "epochs=0"));
            out.add(
                    switch (i % 6) {
                        case 0 -> demonstrate(task, StepKind.SOLVE, History.empty(), reference);
                        case 1 -> demonstrate(task, StepKind.SOLVE, History.empty(), weak);
                        case 2 -> demonstrate(task, StepKind.IMPROVE, attempt(task, weak), reference);
                        case 3 -> demonstrate(task, StepKind.DEBUG, attempt(task, broken), reference);
                        case 4 ->
                            demonstrate(
                                    task,
                                    StepKind.DIVERGE,
                                    attempt(task, weak),
                                    "Previous approach: nearest neighbours on unscaled codes.\nNew approach: a model"
                                            + " suited to the structure of this data, on properly prepared"
                                            + " columns.\n" + reference);
                        default -> demonstrate(task, StepKind.IMPROVE, attempt(task, weak), weak);
                    });
        }
        return out;
    }

    static String fence(String pipeline) {
        return "```pipeline\n" + pipeline.strip() + "\n```";
    }

    private History attempt(BaseTask task, String response) {
        return History.of(new Turn(response, 1, verify(task, response).feedback()));
    }
}
