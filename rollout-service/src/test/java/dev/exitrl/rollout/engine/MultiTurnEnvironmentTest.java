package dev.exitrl.rollout.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.ChatMessage;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.experiment.DomainTrainingOptions;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.policy.sampling.SamplingParams;
import dev.exitrl.rollout.ScriptedPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The multi-turn worker loop on tool-use tasks, driven by scripted policies instead of a model. */
class MultiTurnEnvironmentTest {
    static final Domain TOOL_USE = DomainRegistry.standard().get("tool-use");
    private static final int G = 2;

    static List<BaseTask> tasks(int difficulty, int n) {
        return TOOL_USE.generate(new GeneratorSpec(7, difficulty, n, 0)).train();
    }

    /** The user turn a context is at: the latest turn whose request it shows. */
    static int currentTurn(JsonNode turns, String context) {
        int current = 0;
        for (int t = 0; t < turns.size(); t++) {
            if (context.contains(turns.get(t).get("request").asString())) {
                current = t;
            }
        }
        return current;
    }

    static JsonNode turnsOf(List<BaseTask> tasks, String context) {
        for (BaseTask t : tasks) {
            if (context.contains(t.problem())) {
                return t.data().get("turns");
            }
        }
        throw new IllegalStateException("no task matches the context");
    }

    /** An oracle: one message per user turn with that turn's ground-truth calls, then the end-of-turn marker. */
    static Function<String, String> oracle(List<BaseTask> tasks) {
        return context -> {
            JsonNode turns = turnsOf(tasks, context);
            JsonNode calls = turns.get(currentTurn(turns, context)).get("calls");
            if (calls.isEmpty()) {
                return "I cannot do that with these functions.";
            }
            StringBuilder reply = new StringBuilder("Sure.\n");
            for (JsonNode call : calls) {
                reply.append("<tool_call>").append(call).append("</tool_call>\n");
            }
            return reply.append("<turn_done>").toString();
        };
    }

    /** A wrong policy: calls a function that does not exist, and gives up once it has seen the error. */
    static final Function<String, String> WRONG = context -> context.contains("unknown function")
            ? "I give up."
            : "<tool_call>{\"name\": \"teleport\", \"arguments\": {\"to\": \"moon\"}}</tool_call>";

    static List<RolloutSlot> slots(List<BaseTask> tasks) {
        List<RolloutSlot> slots = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            BaseTask t = tasks.get(i);
            slots.add(new RolloutSlot(
                    i,
                    t,
                    StepKind.SOLVE,
                    History.empty(),
                    TOOL_USE.renderPrompt(t, StepKind.SOLVE, History.empty()),
                    null,
                    G));
        }
        return slots;
    }

    private static SamplingParams params(int maxNewTokens) {
        return new SamplingParams(maxNewTokens, 1.0, 1.0, 0, List.of(), true, 11);
    }

    /** The maximal runs of equal mask values, as {start, end, policy?}. */
    private static List<int[]> runs(boolean[] mask) {
        List<int[]> runs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= mask.length; i++) {
            if (i == mask.length || mask[i] != mask[start]) {
                runs.add(new int[] {start, i, mask[start] ? 1 : 0});
                start = i;
            }
        }
        return runs;
    }

    @Test
    void theOracleScoresOneOnEveryTurnAndTheMaskCoversExactlyTheModelTokens() {
        List<BaseTask> tasks = tasks(4, 5);
        int[] turnCounts =
                tasks.stream().mapToInt(t -> t.data().get("turns").size()).toArray();
        assertThat(Arrays.stream(turnCounts).max().orElseThrow()).isGreaterThan(1);
        var policy = new ScriptedPolicy(1 << 20, oracle(tasks));
        var engine = new RolloutEngine(new SingleTurnEnvironment(), null);

        BatchResult batch = engine.run(
                slots(tasks),
                TOOL_USE,
                RewardMode.ABSOLUTE,
                false,
                policy,
                params(4000),
                DomainTrainingOptions.TOOL_USE_EVALUATION);

        long policyTokens = 0;
        for (GroupResult group : batch.groups()) {
            int turns = turnCounts[group.slot()];
            for (RolloutResult r : group.rollouts()) {
                assertThat(r.quality()).as(r.feedback()).isEqualTo(1.0);
                assertThat(r.correct()).isTrue();
                assertThat(r.truncated()).isFalse();
                assertThat(r.history().turnCount()).isEqualTo(turns);
                assertThat(r.policyMask()).hasSameSizeAs(r.tokenIds());
                assertThat(r.logProbs()).hasSameSizeAs(r.tokenIds());
                // one model message per user turn, each ending with EOS; between them the environment's text
                List<int[]> runs = runs(r.policyMask());
                assertThat(runs).hasSize(2 * turns - 1);
                for (int[] run : runs) {
                    long[] ids = Arrays.copyOfRange(r.tokenIds(), run[0], run[1]);
                    String text = ScriptedPolicy.decode(ids);
                    if (run[2] == 1) {
                        assertThat(ids[ids.length - 1]).isEqualTo(ScriptedPolicy.EOS);
                        assertThat(text)
                                .satisfiesAnyOf(
                                        m -> assertThat(m).startsWith("Sure.").endsWith("<turn_done>"),
                                        m -> assertThat(m).isEqualTo("I cannot do that with these functions."));
                        for (int i = run[0]; i < run[1]; i++) {
                            assertThat(r.logProbs()[i]).isEqualTo(ScriptedPolicy.LOG_PROB);
                        }
                        policyTokens += ids.length;
                    } else {
                        assertThat(ids).doesNotContain(ScriptedPolicy.EOS);
                        // tool results (none after a turn without calls), then the next user request
                        assertThat(text).matches("(?s)(\n-> .*)?\n\n.*\n").doesNotContain("<tool_call>");
                        for (int i = run[0]; i < run[1]; i++) {
                            assertThat(r.logProbs()[i]).isZero();
                        }
                    }
                }
            }
        }
        assertThat(batch.generatedTokens())
                .as("only policy tokens count as generated")
                .isEqualTo(policyTokens);
        // Batched: one call per step over the rows still running; finished episodes drop out.
        int maxTurns = Arrays.stream(turnCounts).max().orElseThrow();
        assertThat(policy.callRows).hasSize(maxTurns);
        for (int k = 0; k < maxTurns; k++) {
            int step = k;
            long running = Arrays.stream(turnCounts).filter(n -> n > step).count();
            assertThat(policy.callRows.get(k)).isEqualTo((int) running * G);
        }
    }

    @Test
    void trainingPlaysTheFirstRequestOnly() {
        List<BaseTask> tasks = tasks(4, 3);
        var policy = new ScriptedPolicy(1 << 20, oracle(tasks));
        BatchResult batch = new RolloutEngine(new SingleTurnEnvironment(), null)
                .run(slots(tasks), TOOL_USE, RewardMode.ABSOLUTE, false, policy, params(4000));
        assertThat(policy.callRows).containsExactly(tasks.size() * G);
        for (GroupResult group : batch.groups()) {
            for (RolloutResult r : group.rollouts()) {
                assertThat(r.quality()).isEqualTo(1.0);
                assertThat(r.history().turnCount()).isEqualTo(1);
                assertThat(r.policyMask()).containsOnly(true);
            }
        }
    }

    @Test
    void aWrongPolicyScoresZeroAndSeesItsErrorsAsToolResults() {
        List<BaseTask> tasks = tasks(2, 3);
        var policy = new ScriptedPolicy(1 << 20, WRONG);
        BatchResult batch = new RolloutEngine(new SingleTurnEnvironment(), null)
                .run(slots(tasks), TOOL_USE, RewardMode.ABSOLUTE, false, policy, params(4000));
        assertThat(policy.callRows).containsExactly(tasks.size() * G, tasks.size() * G);
        assertThat(policy.callContexts.get(1))
                .allSatisfy(c -> assertThat(c).contains("-> {\"error\"", "unknown function 'teleport'"));
        for (GroupResult group : batch.groups()) {
            for (RolloutResult r : group.rollouts()) {
                assertThat(r.quality()).isZero();
                assertThat(r.correct()).isFalse();
                assertThat(r.truncated()).isFalse();
                assertThat(r.feedback()).startsWith("turn 1: ");
                List<int[]> runs = runs(r.policyMask());
                assertThat(runs).extracting(run -> run[2]).containsExactly(1, 0, 1);
                int[] tool = runs.get(1);
                assertThat(ScriptedPolicy.decode(Arrays.copyOfRange(r.tokenIds(), tool[0], tool[1])))
                        .contains("unknown function 'teleport'");
                assertThat(r.response()).contains("teleport").endsWith("I give up.");
            }
        }
    }

    /** A policy with a "chat template": observations become marked turns, and the policy learns how messages ended. */
    static final class TemplatedPolicy extends ScriptedPolicy {
        final List<Boolean> endedWithEos = new ArrayList<>();

        TemplatedPolicy(Function<String, String> script) {
            super(1 << 20, script);
        }

        @Override
        public long[] encodeObservations(List<ChatMessage> observations, boolean messageEndedWithEos, String plain) {
            endedWithEos.add(messageEndedWithEos);
            StringBuilder turns = new StringBuilder();
            for (ChatMessage m : observations) {
                turns.append("<")
                        .append(m.role())
                        .append(">")
                        .append(m.content())
                        .append("</turn>");
            }
            return encodePlain(turns.append("<assistant>").toString());
        }
    }

    @Test
    void observationsAreEncodedByThePolicyAsTemplateTurns() {
        List<BaseTask> tasks = tasks(2, 3);
        var policy = new TemplatedPolicy(WRONG);
        BatchResult batch = new RolloutEngine(new SingleTurnEnvironment(), null)
                .run(slots(tasks), TOOL_USE, RewardMode.ABSOLUTE, false, policy, params(4000));
        assertThat(policy.endedWithEos).hasSize(tasks.size() * G).containsOnly(true);
        assertThat(policy.callContexts.get(1))
                .allSatisfy(c -> assertThat(c).contains("<TOOL>{\"error\"").endsWith("</turn><assistant>"));
        for (GroupResult group : batch.groups()) {
            for (RolloutResult r : group.rollouts()) {
                List<int[]> runs = runs(r.policyMask());
                assertThat(runs).extracting(run -> run[2]).containsExactly(1, 0, 1);
                int[] tool = runs.get(1);
                String observed = ScriptedPolicy.decode(Arrays.copyOfRange(r.tokenIds(), tool[0], tool[1]));
                assertThat(observed)
                        .startsWith("<TOOL>")
                        .endsWith("<assistant>")
                        .doesNotContain("-> ");
            }
        }
    }

    @Test
    void episodesThatRunOutOfBudgetAreMarkedTruncated() {
        List<BaseTask> tasks = tasks(2, 2);
        // A message cut at the generation limit ends the episode.
        var cut = new ScriptedPolicy(1 << 20, oracle(tasks));
        BatchResult a = new RolloutEngine(new SingleTurnEnvironment(), null)
                .run(slots(tasks), TOOL_USE, RewardMode.ABSOLUTE, false, cut, params(8));
        assertThat(cut.callRows).hasSize(1);
        assertThat(a.groups()).flatMap(GroupResult::rollouts).allSatisfy(r -> {
            assertThat(r.truncated()).isTrue();
            assertThat(r.tokenIds()).hasSize(8);
        });

        // A policy that never ends its turn is cut off at the training budget of 10 steps.
        var looping = new ScriptedPolicy(1 << 20, c -> "<tool_call>{\"name\": \"ls\", \"arguments\": {}}</tool_call>");
        BatchResult b = new RolloutEngine(new SingleTurnEnvironment(), null)
                .run(slots(tasks), TOOL_USE, RewardMode.ABSOLUTE, false, looping, params(4000));
        assertThat(looping.callRows).hasSize(DomainTrainingOptions.TOOL_USE_TRAINING.stepsPerTurn() + 1);
        assertThat(b.groups()).flatMap(GroupResult::rollouts).allSatisfy(r -> {
            assertThat(r.truncated()).isTrue();
            assertThat(r.quality()).isZero();
        });

        // A context that cannot take the next observations ends the episode too: the first message (71 tokens with
        // EOS) fits, the error result after it does not.
        List<RolloutSlot> one = slots(tasks.subList(0, 1));
        var small = new ScriptedPolicy(one.get(0).prompt().length() + 1 + 90, WRONG);
        BatchResult c = new RolloutEngine(new SingleTurnEnvironment(), null)
                .run(one, TOOL_USE, RewardMode.ABSOLUTE, false, small, params(100));
        assertThat(small.callRows).containsExactly(G);
        assertThat(c.groups())
                .flatMap(GroupResult::rollouts)
                .allSatisfy(r -> assertThat(r.truncated()).isTrue());
    }
}
