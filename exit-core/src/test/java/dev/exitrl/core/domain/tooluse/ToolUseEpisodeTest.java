package dev.exitrl.core.domain.tooluse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.ChatMessage;
import dev.exitrl.core.domain.EnvironmentStep;
import dev.exitrl.core.domain.Episode;
import dev.exitrl.core.domain.EpisodeLimits;
import dev.exitrl.core.domain.EpisodeOutcome;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.TaskSplits;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.Turn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ToolUseEpisodeTest {
    private static final EpisodeLimits ALL = new EpisodeLimits(EpisodeLimits.ALL_TURNS, 20);
    private final ToolUseDomain domain = new ToolUseDomain();

    /** A scripted policy that replays the ground-truth calls of the current turn, one call a message, then stops. */
    private static final class Oracle {
        private final ToolUseTask task;
        private int turn;
        private int next;

        Oracle(ToolUseTask task, int startTurn) {
            this.task = task;
            this.turn = startTurn;
        }

        String reply() {
            List<JsonNode> calls = task.turns().get(turn).calls();
            if (next < calls.size()) {
                return "Next step.\n" + ToolCalls.render(calls.get(next++));
            }
            turn++;
            next = 0;
            return calls.isEmpty() ? "I cannot do that with the functions I have." : "Done. " + ToolCalls.TURN_DONE;
        }
    }

    /** Runs the loop as the rollout worker would; returns the whole chat. */
    private static List<ChatMessage> run(Episode episode, Oracle policy) {
        List<ChatMessage> chat = new ArrayList<>(episode.opening());
        int guard = 0;
        while (!episode.finished()) {
            String reply = policy.reply();
            chat.add(new ChatMessage(ChatMessage.Role.ASSISTANT, reply));
            chat.addAll(episode.step(reply).observations());
            assertThat(++guard).isLessThan(500);
        }
        return chat;
    }

    @Test
    void theOraclePolicyScoresOneOnEveryGeneratedTask() {
        int withheld = 0;
        int multiTurn = 0;
        for (int difficulty = 1; difficulty <= GeneratorSpec.MAX_DIFFICULTY; difficulty++) {
            TaskSplits splits = domain.generate(new GeneratorSpec(13, difficulty, 20, 10));
            List<BaseTask> all = new ArrayList<>(splits.train());
            all.addAll(splits.test());
            for (BaseTask base : all) {
                ToolUseTask task = ToolUseTask.read(base);
                Episode episode = domain.startEpisode(base, StepKind.SOLVE, History.empty(), ALL);
                List<ChatMessage> chat = run(episode, new Oracle(task, 0));
                EpisodeOutcome outcome = episode.outcome();
                assertThat(outcome.verification().quality())
                        .as(base.problem() + "\n" + outcome.verification().feedback())
                        .isEqualTo(1.0);
                assertThat(outcome.metrics())
                        .containsEntry("firstTurnCorrect", 1.0)
                        .containsEntry("turnsPassedFraction", 1.0)
                        .containsEntry("turnsChecked", (double) task.turns().size());
                History history = episode.history();
                assertThat(history.turnCount()).isEqualTo(task.turns().size());
                assertThat(history.turns())
                        .allSatisfy(t -> assertThat(t.iterate()).isEqualTo(1));
                // the single-response view of the same trajectory agrees
                String joined = ToolUseDomain.joinTurns(ToolUseDomain.transcripts(history));
                assertThat(domain.verify(base, joined).quality()).isEqualTo(1.0);
                // every later request was shown to the model as a user message
                long userMessages = chat.stream()
                        .filter(m -> m.role() == ChatMessage.Role.USER)
                        .count();
                assertThat(userMessages).isEqualTo(task.turns().size());
                withheld += task.withheld() != null ? 1 : 0;
                multiTurn += task.turns().size() > 1 ? 1 : 0;
            }
        }
        assertThat(withheld).as("tasks with a withheld function").isGreaterThan(3);
        assertThat(multiTurn).isGreaterThan(50);
    }

    @Test
    void generationIsDeterministicAndEveryGroundTruthCallSucceeds() {
        TaskSplits a = domain.generate(new GeneratorSpec(3, 5, 30, 10));
        assertThat(a).isEqualTo(domain.generate(new GeneratorSpec(3, 5, 30, 10)));
        assertThat(a.train())
                .isNotEqualTo(domain.generate(new GeneratorSpec(4, 5, 30, 10)).train());
        for (BaseTask base : a.train()) {
            ToolUseTask task = ToolUseTask.read(base);
            assertThat(task.turns()).hasSizeBetween(4, 5);
            ToolEnvironment env = task.newEnvironment();
            for (int t = 0; t < task.turns().size(); t++) {
                for (JsonNode call : task.turns().get(t).calls()) {
                    assertThat(env.call(call, task.hiddenAt(t))).doesNotStartWith("{\"error\"");
                }
            }
        }
    }

    @Test
    void badMessagesBecomeToolErrorsAndTheTurnGoesOn() {
        BaseTask base = domain.generate(new GeneratorSpec(5, 1, 1, 0)).train().get(0);
        Episode episode = domain.startEpisode(base, StepKind.SOLVE, History.empty(), ALL);
        assertThat(episode.opening()).hasSize(1);
        assertThat(episode.opening().get(0).content())
                .isEqualTo(domain.renderPrompt(base, StepKind.SOLVE, History.empty()))
                .contains("\"name\":\"cd\"", base.problem());
        EnvironmentStep step = episode.step("<tool_call>{\"name\": \"cd\", \"arguments\": {\"folder\": }</tool_call>"
                + "<tool_call>{\"name\":\"teleport\",\"arguments\":{}}</tool_call>"
                + "<tool_call>[{\"name\":\"cat\",\"arguments\":{\"file_name\":7}},{\"name\":\"pwd\"}]</tool_call>");
        assertThat(step.turnFinished()).isFalse();
        assertThat(step.observations()).extracting(ChatMessage::role).containsOnly(ChatMessage.Role.TOOL);
        assertThat(step.observations())
                .extracting(ChatMessage::content)
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("{\"error\":\"invalid JSON"),
                        r -> assertThat(r).contains("unknown function 'teleport'"),
                        r -> assertThat(r).contains("argument 'file_name' must be a string"),
                        r -> assertThat(r).startsWith("{\"current_working_directory\""));
        EnvironmentStep end = episode.step("I am not sure how to do this.");
        assertThat(end.cutOff()).as("the model ended the turn itself").isFalse();
        assertThat(end.turnFinished()).isTrue();
        assertThat(end.episodeFinished()).isTrue(); // a difficulty-1 task has one turn
        assertThat(episode.outcome().verification().quality()).isZero();
        assertThat(episode.outcome().verification().feedback()).startsWith("turn 1: ");
        assertThatThrownBy(() -> episode.step("more")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theStepLimitCutsATurnOffAndFailsIt() {
        BaseTask base = domain.generate(new GeneratorSpec(5, 1, 1, 0)).train().get(0);
        Episode episode = domain.startEpisode(base, StepKind.SOLVE, History.empty(), new EpisodeLimits(1, 3));
        String ls = ToolCalls.render(ToolUseGenerator.call("ls"));
        EnvironmentStep first = episode.step(ls + ls);
        assertThat(first.episodeFinished()).isFalse();
        assertThat(first.cutOff()).isFalse();
        EnvironmentStep cut = episode.step(ls + ls);
        assertThat(cut.observations()).hasSize(1); // the third step ran, the fourth was refused
        assertThat(cut.episodeFinished()).isTrue();
        assertThat(cut.cutOff()).as("ran out of its step budget").isTrue();
        assertThat(episode.outcome().verification().feedback()).contains("more than 3 steps");
    }

    @Test
    void trainingPlaysTheFirstRequestOnly() {
        BaseTask base = firstWithTurns(3);
        ToolUseTask task = ToolUseTask.read(base);
        Episode episode = domain.startEpisode(base, StepKind.SOLVE, History.empty(), new EpisodeLimits(1, 10));
        run(episode, new Oracle(task, 0));
        assertThat(episode.history().turnCount()).isEqualTo(1);
        assertThat(episode.outcome().metrics()).containsEntry("turnsChecked", 1.0);
        assertThat(episode.outcome().verification().correct()).isTrue();
    }

    @Test
    void aRevisionRestartsFromTheRevisedTurnWithTheEarlierTurnsReplayed() {
        BaseTask base = firstWithTurns(3);
        ToolUseTask task = ToolUseTask.read(base);
        // turn 1 done right, turn 2 done wrong: revise turn 2
        History history = History.of(new Turn(task.groundTruthTranscript(0), 1, "turn 1: passed"))
                .withNextTurn(new Turn("I give up.", 1, "turn 2: SECRET VERDICT"));
        Episode episode = domain.startEpisode(base, StepKind.IMPROVE, history, new EpisodeLimits(1, 10));
        String prompt = episode.opening().get(0).content();
        assertThat(prompt)
                .contains(
                        "Earlier requests, already handled", task.turns().get(0).request())
                .contains("Current request:\n" + task.turns().get(1).request())
                .contains("Previous attempt at this request:\nI give up.")
                .contains("-> {") // earlier calls are shown with their results
                .doesNotContain("SECRET VERDICT");
        run(episode, new Oracle(task, 1));
        History revised = episode.history();
        assertThat(revised.turnCount()).isEqualTo(2);
        assertThat(revised.turns().get(0)).isEqualTo(history.turns().get(0));
        assertThat(revised.latest().iterate()).isEqualTo(2);
        assertThat(episode.outcome().verification().quality()).isEqualTo(1.0);
        assertThat(domain.renderPrompt(base, StepKind.DIVERGE, revised)).contains("different approach");
    }

    private BaseTask firstWithTurns(int atLeast) {
        for (BaseTask base : domain.generate(new GeneratorSpec(8, 4, 30, 0)).train()) {
            ToolUseTask t = ToolUseTask.read(base);
            if (t.turns().size() >= atLeast && t.withheld() == null) {
                return base;
            }
        }
        throw new AssertionError("no task with " + atLeast + " turns");
    }

    @Test
    void singleResponseViewScoresTheTurnsItCovers() {
        BaseTask base = firstWithTurns(3);
        ToolUseTask task = ToolUseTask.read(base);
        assertThat(domain.verify(base, task.groundTruthTranscript(0)).correct()).isTrue();
        assertThat(domain.verify(base, task.groundTruthTranscript(0) + "\n<turn_done>\n")
                        .correct())
                .isTrue();
        String twoTurns = ToolUseDomain.joinTurns(List.of(task.groundTruthTranscript(0), "nothing"));
        assertThat(domain.verify(base, twoTurns).feedback()).startsWith("turn 2:");
        assertThat(domain.parseAnswer(task.groundTruthTranscript(0))).startsWith("[{\"name\":");
        assertThat(domain.parseAnswer("no calls here")).isNull();
        assertThat(base.split()).isEqualTo(Split.TRAIN);
    }
}
