package dev.exitrl.rollout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Demonstration;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.rollout.ScriptedPolicy;
import dev.exitrl.rollout.engine.RolloutEngine;
import dev.exitrl.rollout.engine.SamplingSettings;
import dev.exitrl.rollout.engine.SingleTurnEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Evaluation of the multi-turn domain (episodes over every turn) and MLE's greedy search. */
class EvaluationRunnerDomainsTest {
    private final EvaluationRunner runner = new EvaluationRunner(new RolloutEngine(new SingleTurnEnvironment(), null));

    @Test
    void toolUseChainsPlayEveryTurnOfTheTask() {
        Domain toolUse = DomainRegistry.standard().get("tool-use");
        List<BaseTask> tasks = toolUse.generate(new GeneratorSpec(9, 4, 0, 3)).test();
        // The oracle answers the turn a context is at: the latest request it shows.
        Function<String, String> oracle = context -> {
            for (BaseTask t : tasks) {
                // revision prompts of later turns show the earlier requests, not the problem text
                JsonNode turns = t.data().get("turns");
                if (!context.contains(turns.get(0).get("request").asString())) {
                    continue;
                }
                int current = 0;
                for (int i = 0; i < turns.size(); i++) {
                    if (context.contains(turns.get(i).get("request").asString())) {
                        current = i;
                    }
                }
                StringBuilder reply = new StringBuilder();
                for (JsonNode call : turns.get(current).get("calls")) {
                    reply.append("<tool_call>").append(call).append("</tool_call>\n");
                }
                return reply.append("<turn_done>").toString();
            }
            throw new IllegalStateException("unknown task");
        };
        var policy = new ScriptedPolicy(1 << 20, oracle);
        List<EvaluationRow> rows =
                runner.run(policy, toolUse, tasks, 1, 2, new SamplingSettings(4000, 1.0, 1.0, 3), step -> {});
        assertThat(rows)
                .hasSize(3 * 2 * 2)
                .allSatisfy(r -> assertThat(r.quality())
                        .as("task %d step %d", r.taskIndex(), r.step())
                        .isEqualTo(1.0));
        int turnsOfFirst = tasks.get(0).data().get("turns").size();
        // Step 0 plays all the turns of every task (batched, one call per step of the longest episode).
        assertThat(policy.callRows.get(0)).isEqualTo(3 * 2);
        assertThat(policy.callRows.size()).isGreaterThanOrEqualTo(turnsOfFirst);
    }

    @Test
    void mleEvaluationIsAGreedySearchThatDebugsFailuresAndKeepsTheBest() {
        Domain mle = DomainRegistry.standard().get("mle");
        Demonstration reference = mle.demonstrations(5, 1).get(0); // the reference pipeline as a solve
        assertThat(reference.kind()).isEqualTo(StepKind.SOLVE);
        assertThat(reference.quality()).isEqualTo(1.0);
        List<String> script = List.of("I am not sure.", reference.response(), "Let me drop everything.");
        AtomicInteger call = new AtomicInteger();
        List<String> prompts = new ArrayList<>();
        var policy = new ScriptedPolicy(1 << 20, context -> {
            prompts.add(context);
            return script.get(call.getAndIncrement());
        });

        List<EvaluationRow> rows = runner.run(
                policy, mle, List.of(reference.task()), 2, 1, new SamplingSettings(4000, 1.0, 1.0, 3), step -> {});

        assertThat(rows)
                .extracting(EvaluationRow::stepKind)
                .containsExactly(StepKind.SOLVE, StepKind.DEBUG, StepKind.IMPROVE);
        // step 0 fails, step 1 (debugging it) scores 1, step 2 scores 0 but the best so far stays 1
        assertThat(rows).extracting(EvaluationRow::quality).containsExactly(0.0, 1.0, 1.0);
        assertThat(rows).extracting(EvaluationRow::correct).containsExactly(false, true, true);
        // the DEBUG prompt shows the failed attempt; the IMPROVE prompt revises the best one, not the latest
        assertThat(prompts.get(1)).contains("I am not sure.");
        assertThat(prompts.get(2)).contains(mle.parseAnswer(reference.response()));
        assertThat(prompts.get(2)).doesNotContain("I am not sure.");
    }
}
