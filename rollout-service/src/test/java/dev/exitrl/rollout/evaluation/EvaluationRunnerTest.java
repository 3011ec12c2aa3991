package dev.exitrl.rollout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.Turn;
import dev.exitrl.policy.Policy;
import dev.exitrl.rollout.CountingPolicy;
import dev.exitrl.rollout.TinyPolicies;
import dev.exitrl.rollout.engine.PolicyView;
import dev.exitrl.rollout.engine.RolloutEngine;
import dev.exitrl.rollout.engine.SamplingSettings;
import dev.exitrl.rollout.engine.SingleTurnEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationRunnerTest {
    static final Domain COUNTDOWN = DomainRegistry.standard().get("countdown");

    @TempDir
    Path dir;

    @Test
    void kPlusOneStepsPerChain_eachStepOneCall_improvePromptsShowTheLatestResponseAndNoVerdict() throws Exception {
        List<BaseTask> tasks = COUNTDOWN.generate(new GeneratorSpec(5, 2, 0, 3)).test();
        int steps = 2;
        int samples = 2;
        try (Policy policy = TinyPolicies.create(dir, 3)) {
            var counting = new CountingPolicy(PolicyView.of(4, policy));
            var runner = new EvaluationRunner(new RolloutEngine(new SingleTurnEnvironment(), null));
            List<List<EvaluationRow>> emitted = new ArrayList<>();

            List<EvaluationRow> rows = runner.run(
                    counting, COUNTDOWN, tasks, steps, samples, new SamplingSettings(16, 1.0, 1.0, 9), emitted::add);

            assertThat(rows).hasSize(tasks.size() * samples * (steps + 1));
            assertThat(emitted)
                    .hasSize(steps + 1)
                    .allSatisfy(step -> assertThat(step).hasSize(6));
            Set<String> keys = new HashSet<>();
            for (EvaluationRow r : rows) {
                assertThat(keys.add(r.taskIndex() + "/" + r.sample() + "/" + r.step()))
                        .isTrue();
                assertThat(r.stepKind()).isEqualTo(r.step() == 0 ? StepKind.SOLVE : StepKind.IMPROVE);
            }
            assertThat(counting.callRows).containsExactly(6, 6, 6);

            // Chain c's prompt at step k is the IMPROVE prompt over the chain's step k-1 response alone; its
            // quality is the verifier's of the response generated at step k.
            for (int k = 0; k <= steps; k++) {
                for (int c = 0; c < 6; c++) {
                    BaseTask task = tasks.get(c / samples);
                    String response = counting.callOutputs.get(k).get(c).text();
                    EvaluationRow row = emitted.get(k).get(c);
                    assertThat(row.taskIndex()).isEqualTo(c / samples);
                    assertThat(row.sample()).isEqualTo(c % samples);
                    assertThat(row.quality())
                            .isEqualTo(COUNTDOWN.verify(task, response).quality());
                    String expected = k == 0
                            ? COUNTDOWN.renderPrompt(task, StepKind.SOLVE, History.empty())
                            : COUNTDOWN.renderPrompt(
                                    task,
                                    StepKind.IMPROVE,
                                    History.of(new Turn(
                                            counting.callOutputs
                                                    .get(k - 1)
                                                    .get(c)
                                                    .text(),
                                            k,
                                            null)));
                    assertThat(counting.callPrompts.get(k).get(c))
                            .containsExactly(policy.tokenizer().encodePrompt(expected));
                    if (k > 0) {
                        String prompt = policy.tokenizer()
                                .decode(counting.callPrompts.get(k).get(c));
                        String previous = counting.callOutputs.get(k - 1).get(c).text();
                        String verdict = COUNTDOWN.verify(task, previous).feedback();
                        assertThat(prompt).contains("Previous attempt:").doesNotContain("Feedback on it");
                        assertThat(prompt).doesNotContain(verdict);
                    }
                }
            }
        }
    }
}
