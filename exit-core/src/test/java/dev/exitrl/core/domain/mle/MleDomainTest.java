package dev.exitrl.core.domain.mle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.TaskImportException;
import dev.exitrl.core.domain.Verification;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.reward.Rewards;
import dev.exitrl.core.sampling.StepKindChoice;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.core.task.Turn;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MleDomainTest {
    private final MleDomain mle = new MleDomain();

    private static String fence(String pipeline) {
        return MleDomain.fence(pipeline);
    }

    @Test
    void onEveryFamilyTheReferenceScoresOneTheConstantZeroAndTheRangeIsWide() {
        for (CompetitionFamily family : CompetitionFamily.values()) {
            BaseTask task = MleDomain.generatedTask(family, 7, 5, Split.TRAIN);
            assertThat(mle.verify(task, fence(family.reference)).quality())
                    .as(family.id)
                    .isEqualTo(1.0);
            assertThat(mle.verify(task, fence("model constant")).quality())
                    .as(family.id)
                    .isZero();
            double[] scale = mle.scale(task);
            double worst = scale[0];
            double best = scale[1];
            // the reference removes a good share of the baseline's error, so the normalised scale is meaningful
            double gain = family.metric.higherIsBetter() ? (best - worst) / (1 - worst) : (worst - best) / worst;
            assertThat(gain).as(family.id + " worst " + worst + " best " + best).isGreaterThan(0.15);
        }
    }

    @Test
    void reasonablePipelinesLandBetweenZeroAndOne() {
        BaseTask task = MleDomain.generatedTask(CompetitionFamily.CREDIT_DEFAULT, 7, 5, Split.TRAIN);
        double tree =
                mle.verify(task, fence("impute\nonehot\nmodel cart depth=4")).quality();
        double knn = mle.verify(task, fence("impute strategy=zero\nordinal\nmodel knn k=3"))
                .quality();
        assertThat(tree).isStrictlyBetween(0.0, 1.0);
        assertThat(knn).isStrictlyBetween(0.0, 1.0).isLessThan(tree);
    }

    @Test
    void gradingIsDeterministicForASeed() {
        BaseTask task = MleDomain.generatedTask(CompetitionFamily.FRAUD, 11, 4, Split.TRAIN);
        String spec = fence("impute\nonehot\nmodel forest trees=20 depth=6");
        Verification a = mle.verify(task, spec);
        Verification b = new MleDomain().verify(task, spec); // a fresh instance: no shared cache
        assertThat(a).isEqualTo(b);
        Competition c = CompetitionFamily.FRAUD.generate(11, 4);
        assertThat(c.header()).isEqualTo(task.problem());
        assertThat(mle.renderPrompt(task, StepKind.SOLVE, History.empty())).contains(c.brief());
        assertThat(CompetitionFamily.FRAUD.generate(11, 4).dataSummary()).isEqualTo(c.dataSummary());
        assertThat(CompetitionFamily.FRAUD.generate(12, 4).dataSummary()).isNotEqualTo(c.dataSummary());
    }

    private void assertDebug(BaseTask task, String spec, String kind, String message) {
        Verification v = mle.verify(task, spec);
        assertThat(v.quality()).isZero();
        assertThat(v.feedback()).startsWith("ERROR (" + kind + ")").contains(message);
        Turn failed = new Turn(spec, 1, v.feedback());
        assertThat(mle.attemptFailed(failed)).isTrue();
        TaskInstance instance = TaskInstance.of(task.ref(), History.of(failed));
        assertThat(StepKindChoice.choose(instance, 0.5, mle.attemptFailed(failed), new SplittableRandom(1)))
                .isEqualTo(StepKind.DEBUG);
        assertThat(mle.renderPrompt(task, StepKind.DEBUG, History.of(failed))).contains(v.feedback());
        assertThat(mle.renderPrompt(task, StepKind.IMPROVE, History.of(failed))).doesNotContain(v.feedback());
    }

    @Test
    void errorsScoreZeroWithATraceAndMakeTheNextStepADebugStep() {
        BaseTask task = MleDomain.generatedTask(CompetitionFamily.HOUSE_PRICES, 3, 5, Split.TRAIN);
        assertDebug(task, "no block at all", "syntax error", "no pipeline found");
        assertDebug(task, fence("impute\nscale\nmodel gbt"), "syntax error", "at line 2: scale");
        assertDebug(task, fence("impute\nonehot"), "syntax error", "no model line");
        assertDebug(task, fence("impute\nonehot\nmodel gbt trees=0"), "invalid hyperparameter", "trees must be");
        assertDebug(task, fence("impute\nonehot\nmodel gbt depth=deep"), "invalid hyperparameter", "depth must be");
        assertDebug(task, fence("impute\nonehot\nmodel knn neighbours=3"), "invalid hyperparameter", "has no argument");
        assertDebug(task, fence("impute\nmodel gbt"), "data error", "are categorical: add onehot or ordinal");
        assertDebug(task, fence("onehot\nmodel gbt"), "data error", "add impute");
        assertDebug(task, fence("impute\nonehot\nmodel logistic"), "data error", "use linear");
        assertDebug(task, fence("impute\nonehot\nmodel linear lr=5"), "training diverged", "standardise the features");
        // a success is no failure
        Verification ok = mle.verify(task, fence("impute\nonehot\nmodel cart"));
        assertThat(ok.feedback()).startsWith("Hidden-split rmse");
        assertThat(mle.attemptFailed(new Turn("x", 1, ok.feedback()))).isFalse();
    }

    @Test
    void timeoutsAndTheMemoryGuardBecomeDebugFeedback() {
        BaseTask task = MleDomain.generatedTask(CompetitionFamily.SPECIES, 3, 5, Split.TRAIN);
        MleDomain fast = new MleDomain(Duration.ofMillis(1500), MleDomain.DEFAULT_MEMORY_LIMIT_BYTES);
        assertThat(fast.scale(task)[1]).isGreaterThan(fast.scale(task)[0]); // the scale gets 5x the limit
        Verification slow = fast.verify(task, fence("impute\nstandardise\nmodel gbt trees=2000 depth=12 min_leaf=1"));
        assertThat(slow.quality()).isZero();
        assertThat(slow.feedback()).startsWith("ERROR (timeout)").contains("limit of 1.5 s", "boosting round");
        assertThat(fast.attemptFailed(new Turn("x", 1, slow.feedback()))).isTrue();
        MleDomain small = new MleDomain(MleDomain.DEFAULT_TIME_LIMIT, 2_000_000);
        Verification big = small.verify(task, fence("impute\nstandardise\nmodel forest trees=500 depth=30"));
        assertThat(big.feedback()).startsWith("ERROR (out of memory)").contains("500 trees", "memory limit of 2 MB");
    }

    @Test
    void answersAreTheLastPipelineBlock() {
        assertThat(mle.parseAnswer("```pipeline\nmodel knn\n```\nbetter:\n```pipeline\nmodel cart\n```"))
                .isEqualTo("model cart");
        assertThat(mle.parseAnswer("```pipeline\nmodel knn\n```\n```python\nprint(1)\n```"))
                .isEqualTo("model knn");
        assertThat(mle.parseAnswer("```\nmodel gbt\n```")).isEqualTo("model gbt");
        assertThat(mle.parseAnswer("model gbt")).isNull();
    }

    @Test
    void revisionPromptsShowTheBriefAndTheSolutionButNotTheScore() {
        BaseTask task = MleDomain.generatedTask(CompetitionFamily.SPAM_FILTER, 3, 5, Split.TRAIN);
        String spec = fence("standardise\nmodel logistic");
        Verification v = mle.verify(task, spec);
        History h = History.of(new Turn(spec, 1, v.feedback()));
        for (StepKind kind : List.of(StepKind.IMPROVE, StepKind.DIVERGE)) {
            assertThat(mle.renderPrompt(task, kind, h))
                    .contains(task.problem(), "model logistic", "impute strategy=")
                    .doesNotContain("normalised score");
        }
    }

    @Test
    void rewardsFollowThePaperForMle() {
        assertThat(mle.defaultRewardMode()).isEqualTo(RewardMode.MLE);
        assertThat(Rewards.reward(RewardMode.MLE, StepKind.IMPROVE, 0.5, 0.75)).isEqualTo(0.5);
        assertThat(Rewards.reward(RewardMode.MLE, StepKind.IMPROVE, 0.5, 0.25)).isZero();
        assertThat(Rewards.reward(RewardMode.MLE, StepKind.DIVERGE, 0.5, 0.25)).isEqualTo(0.25);
    }

    @Test
    void greedySearchKeepsTheBestSoFarAndDebugsFailures() {
        BaseTask task = MleDomain.generatedTask(CompetitionFamily.RAINFALL, 5, 5, Split.TRAIN);
        List<String> script = List.of(
                fence("impute\nmodel gbt"), // fails: categorical column left
                fence("impute\nordinal\nmodel cart depth=3"),
                fence("model constant"), // worse: the best stays
                fence(CompetitionFamily.RAINFALL.reference));
        List<String> prompts = new ArrayList<>();
        List<GreedySearch.Step> steps = GreedySearch.run(mle, task, 3, prompt -> {
            prompts.add(prompt);
            return script.get(prompts.size() - 1);
        });
        assertThat(steps)
                .extracting(GreedySearch.Step::kind)
                .containsExactly(StepKind.SOLVE, StepKind.DEBUG, StepKind.IMPROVE, StepKind.IMPROVE);
        assertThat(steps.get(0).quality()).isZero();
        assertThat(steps.get(1).quality()).isStrictlyBetween(0.0, 1.0);
        assertThat(steps.get(2).bestSoFar()).isEqualTo(steps.get(1).quality());
        assertThat(prompts.get(3)).contains("model cart depth=3"); // revises the best, not the last
        assertThat(steps.get(3).bestSoFar()).isEqualTo(1.0);
    }

    private static String line(String name, String task, String metric, String train, String test) {
        return "{\"name\":\"" + name + "\",\"task\":\"" + task + "\",\"metric\":\"" + metric
                + "\",\"target\":\"y\",\"train_csv\":\"" + train + "\",\"test_csv\":\"" + test + "\"}";
    }

    private static String csv(int rows, long seed, boolean classification) {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder("a,b,colour,y\\n");
        for (int i = 0; i < rows; i++) {
            double a = rng.nextGaussian();
            double b = rng.nextGaussian();
            String colour = rng.nextBoolean() ? "red" : "\\\"blue, dark\\\"";
            double y = 2 * a - b + (colour.equals("red") ? 1 : 0) + 0.3 * rng.nextGaussian();
            String target = classification ? (y > 0.5 ? "yes" : "no") : String.format("%.3f", y);
            s.append(i % 10 == 0 ? "" : String.format("%.3f", a))
                    .append(',')
                    .append(String.format("%.3f", b))
                    .append(',')
                    .append(colour)
                    .append(',')
                    .append(target)
                    .append("\\n");
        }
        return s.toString();
    }

    @Test
    void realCompetitionsCanBeImportedFromJsonLinesWithCsv() {
        String jsonl = line("toy-binary", "binary", "auc", csv(300, 1, true), csv(200, 2, true)) + "\n\n"
                + line("toy-regression", "regression", "rmse", csv(300, 3, false), csv(200, 4, false));
        List<BaseTask> tasks = mle.importJsonl(new StringReader(jsonl), Split.TEST);
        assertThat(tasks).hasSize(2).allSatisfy(t -> assertThat(t.split()).isEqualTo(Split.TEST));
        assertThat(tasks.get(0).problem())
                .contains("toy-binary", "colour: categorical, 2 levels", "a: numeric, 10% missing");
        for (BaseTask t : tasks) {
            assertThat(mle.verify(t, fence(MleDomain.DEFAULT_IMPORT_REFERENCE)).quality())
                    .isEqualTo(1.0);
            assertThat(mle.verify(t, fence("impute\nonehot\nstandardise\nmodel knn k=10"))
                            .quality())
                    .isGreaterThan(0.3);
        }
        assertThat(mle.importJsonl(new StringReader(jsonl), Split.TEST)).isEqualTo(tasks);
        String bad = line("x", "binary", "rmse", csv(20, 1, true), csv(20, 2, true)) + "\n{oops\n"
                + line("y", "regression", "rmse", csv(20, 1, false), "a,b\\n1,2");
        assertThatThrownBy(() -> mle.importJsonl(new StringReader(bad), Split.TRAIN))
                .isInstanceOf(TaskImportException.class)
                .hasMessageContaining("line 1: metric rmse does not fit")
                .hasMessageContaining("line 2: not valid JSON")
                .hasMessageContaining("line 3: train_csv and test_csv must have the same header");
    }
}
