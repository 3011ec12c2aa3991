package dev.exitrl.rollout.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.grpo.DiversityBonus;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.reward.Rewards;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.core.task.Turn;
import dev.exitrl.policy.Policy;
import dev.exitrl.rollout.CountingPolicy;
import dev.exitrl.rollout.TinyPolicies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutEngineTest {
    static final Domain COUNTDOWN = DomainRegistry.standard().get("countdown");
    static final SamplingSettings SAMPLING = new SamplingSettings(24, 1.0, 1.0, 7);

    @TempDir
    static Path dir;

    static Policy policy;
    static List<BaseTask> tasks;

    @BeforeAll
    static void createPolicy() throws Exception {
        policy = TinyPolicies.create(dir, 11);
        tasks = COUNTDOWN.generate(new GeneratorSpec(3, 2, 4, 0)).train();
    }

    @AfterAll
    static void closePolicy() {
        policy.close();
    }

    /** Two SOLVE slots, an IMPROVE and a DIVERGE slot, G = 3 each, rendered by the domain as the task space does. */
    static List<RolloutSlot> lease() {
        var slots = new ArrayList<RolloutSlot>();
        for (int i = 0; i < 2; i++) {
            BaseTask t = tasks.get(i);
            slots.add(new RolloutSlot(
                    i,
                    t,
                    StepKind.SOLVE,
                    History.empty(),
                    COUNTDOWN.renderPrompt(t, StepKind.SOLVE, History.empty()),
                    null,
                    3));
        }
        BaseTask t2 = tasks.get(2);
        History h2 = History.of(Turn.of("Answer: 1 + 2", 1));
        double q2 = COUNTDOWN.verify(t2, "Answer: 1 + 2").quality();
        slots.add(
                new RolloutSlot(2, t2, StepKind.IMPROVE, h2, COUNTDOWN.renderPrompt(t2, StepKind.IMPROVE, h2), q2, 3));
        BaseTask t3 = tasks.get(3);
        History h3 = History.of(new Turn("Answer: 7", 2, null));
        slots.add(
                new RolloutSlot(3, t3, StepKind.DIVERGE, h3, COUNTDOWN.renderPrompt(t3, StepKind.DIVERGE, h3), 0.0, 3));
        return slots;
    }

    @Test
    void oneGenerateCallForAllSlotsTimesG_rewardsAreExitCores_childrenAreOneDeeper() {
        var counting = new CountingPolicy(PolicyView.of(5, policy));
        var engine = new RolloutEngine(new SingleTurnEnvironment(), null);
        List<RolloutSlot> slots = lease();

        long t0 = System.nanoTime();
        BatchResult batch = engine.run(slots, COUNTDOWN, RewardMode.IMPROVEMENT, false, counting, SAMPLING.forBatch(0));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "engine: %d rows, %d tokens in %.2f s (generate %.2f s) = %.0f tokens/s%n",
                12,
                batch.generatedTokens(),
                seconds,
                batch.generateNanos() / 1e9,
                batch.generatedTokens() / (batch.generateNanos() / 1e9));

        assertThat(counting.callRows).containsExactly(12);
        assertThat(batch.policyVersion()).isEqualTo(5);
        assertThat(batch.groups()).hasSize(4);
        long tokens = 0;
        for (int s = 0; s < slots.size(); s++) {
            RolloutSlot slot = slots.get(s);
            GroupResult group = batch.groups().get(s);
            assertThat(group.slot()).isEqualTo(slot.slot());
            assertThat(group.policyVersion()).isEqualTo(5);
            assertThat(group.prompt()).isEqualTo(slot.prompt());
            assertThat(group.promptTokenIds()).isEqualTo(policy.tokenizer().encodePrompt(slot.prompt()));
            assertThat(group.rollouts()).hasSize(3);
            for (RolloutResult r : group.rollouts()) {
                var verdict = COUNTDOWN.verify(slot.task(), r.response());
                assertThat(r.quality()).isEqualTo(verdict.quality());
                assertThat(r.correct()).isEqualTo(verdict.correct());
                double parent = slot.parentQuality() == null ? 0 : slot.parentQuality();
                assertThat(r.reward())
                        .isEqualTo(Rewards.reward(RewardMode.IMPROVEMENT, slot.stepKind(), parent, r.quality()));
                assertThat(TaskInstance.depthOf(r.history())).isEqualTo(TaskInstance.depthOf(slot.history()) + 1);
                assertThat(r.history().turnCount()).isEqualTo(1);
                assertThat(r.history().latest().response()).isEqualTo(r.response());
                // The verifier's feedback travels with the child (MLE's DEBUG step reads it); prompts hide it.
                assertThat(r.history().latest().feedback()).isEqualTo(verdict.feedback());
                assertThat(r.feedback()).isEqualTo(verdict.feedback());
                assertThat(r.tokenIds()).isNotEmpty().hasSameSizeAs(r.logProbs());
                for (float lp : r.logProbs()) {
                    assertThat(lp).isLessThanOrEqualTo(0f).isGreaterThan(Float.NEGATIVE_INFINITY);
                }
                assertThat(r.diversity()).isNull();
                tokens += r.tokenIds().length;
            }
        }
        assertThat(batch.generatedTokens()).isEqualTo(tokens);
        assertThat(batch.embedNanos()).isZero();
        // The G copies of a prompt must not all draw the same sample: one seeded uniform per row.
        var firstGroup = batch.groups().get(0).rollouts();
        assertThat(firstGroup.stream().map(RolloutResult::response).distinct().count())
                .isGreaterThan(1);
    }

    @Test
    void diversityBonusIsExitCoresMultiplierPerGroup_fromOneEmbedCall() {
        var embedder = new HistogramEmbedder();
        var engine = new RolloutEngine(new SingleTurnEnvironment(), embedder);
        List<RolloutSlot> slots = lease();

        BatchResult batch =
                engine.run(slots, COUNTDOWN, RewardMode.ABSOLUTE, true, PolicyView.of(1, policy), SAMPLING.forBatch(1));

        assertThat(embedder.calls).isEqualTo(1);
        for (GroupResult group : batch.groups()) {
            List<float[]> embeddings = new ArrayList<>();
            for (RolloutResult r : group.rollouts()) {
                embeddings.add(HistogramEmbedder.histogram(
                        r.response().isBlank() ? RolloutEngine.EMPTY_RESPONSE_TEXT : r.response()));
            }
            double[] expected = DiversityBonus.multipliers(embeddings);
            for (int i = 0; i < expected.length; i++) {
                assertThat(group.rollouts().get(i).diversity()).isEqualTo(expected[i]);
            }
        }
    }

    @Test
    void diversityBonusWithoutAnEmbedderIsRefused() {
        var engine = new RolloutEngine(new SingleTurnEnvironment(), null);
        assertThatThrownBy(() -> engine.run(
                        lease(), COUNTDOWN, RewardMode.ABSOLUTE, true, PolicyView.of(1, policy), SAMPLING.forBatch(0)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void longPromptsAreCutFromTheLeftKeepingBos_andTheResponseBudgetFitsTheContext() {
        var counting = new CountingPolicy(PolicyView.of(0, policy));
        var engine = new RolloutEngine(new SingleTurnEnvironment(), null);
        BaseTask t = tasks.get(0);
        History longAttempt = History.of(Turn.of("1 + 2 ".repeat(100), 1)); // 600 characters
        String prompt = COUNTDOWN.renderPrompt(t, StepKind.IMPROVE, longAttempt);
        var slot = new RolloutSlot(0, t, StepKind.IMPROVE, longAttempt, prompt, 0.1, 2);
        var wide = new SamplingSettings(400, 1.0, 1.0, 1);

        BatchResult batch =
                engine.run(List.of(slot), COUNTDOWN, RewardMode.IMPROVEMENT, false, counting, wide.forBatch(0));

        long[] ids = batch.groups().get(0).promptTokenIds();
        long[] full = policy.tokenizer().encode(prompt);
        assertThat(ids).hasSize(512 - 256);
        assertThat(ids[0]).isEqualTo(full[0]);
        assertThat(ids[ids.length - 1]).isEqualTo(full[full.length - 1]);
        assertThat(counting.callParams.get(0).maxNewTokens()).isEqualTo(256);
    }

    /** A cheap deterministic embedding: character counts. */
    static final class HistogramEmbedder implements Embedder {
        int calls;

        static float[] histogram(String text) {
            float[] h = new float[128];
            for (char c : text.toCharArray()) {
                h[c & 127]++;
            }
            return h;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            calls++;
            return texts.stream().map(HistogramEmbedder::histogram).toList();
        }

        @Override
        public String name() {
            return "histogram";
        }
    }
}
