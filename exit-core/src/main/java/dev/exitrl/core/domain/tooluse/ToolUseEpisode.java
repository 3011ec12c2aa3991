package dev.exitrl.core.domain.tooluse;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.ChatMessage;
import dev.exitrl.core.domain.EnvironmentStep;
import dev.exitrl.core.domain.Episode;
import dev.exitrl.core.domain.EpisodeLimits;
import dev.exitrl.core.domain.EpisodeOutcome;
import dev.exitrl.core.domain.Verification;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The environment loop of one tool-use rollout. Steps are call blocks: each block's calls run in order and each
 * result becomes one tool message; a turn that would take more than {@link EpisodeLimits#stepsPerTurn()} blocks is
 * cut off and ends the episode (it then fails the check). When a user turn ends and the limits allow another, the
 * next request follows as a user message (with the schema of a function that becomes available then).
 *
 * <p>The outcome re-checks the whole trajectory from the first turn with {@link ToolUseChecker} under the episode's
 * step cap, so with BFCL's cap of 20 it equals {@link ToolUseDomain#verify} of the joined transcripts.
 */
final class ToolUseEpisode implements Episode {
    private final ToolUseDomain domain;
    private final ToolUseTask task;
    private final History prior;
    private final int startTurn;
    private final int endTurn;
    private final int firstIterate;
    private final EpisodeLimits limits;
    private final ToolEnvironment env;
    private final List<ChatMessage> opening;
    private final List<List<String>> messages = new ArrayList<>();
    private int turn;
    private int stepsInTurn;
    private boolean finished;

    ToolUseEpisode(
            ToolUseDomain domain,
            BaseTask baseTask,
            ToolUseTask task,
            StepKind kind,
            History history,
            EpisodeLimits limits) {
        this.domain = domain;
        this.task = task;
        this.limits = Objects.requireNonNull(limits, "limits");
        String prompt = domain.renderPrompt(baseTask, kind, history); // validates kind against the history
        this.startTurn = kind == StepKind.SOLVE ? 0 : history.turnCount() - 1;
        this.prior = history.prefix(startTurn);
        this.firstIterate = kind == StepKind.SOLVE ? 1 : history.latest().iterate() + 1;
        this.endTurn = (int) Math.min(task.turns().size(), (long) startTurn + limits.userTurns());
        this.env = task.newEnvironment();
        List<String> earlier = ToolUseDomain.transcripts(prior);
        for (int t = 0; t < earlier.size(); t++) {
            List<ToolCalls.Block> blocks = ToolCalls.blocks(earlier.get(t));
            for (int b = 0; b < Math.min(blocks.size(), limits.stepsPerTurn()); b++) {
                env.run(blocks.get(b), task.hiddenAt(t));
            }
        }
        this.opening = List.of(ChatMessage.user(prompt));
        this.turn = startTurn;
        messages.add(new ArrayList<>());
    }

    @Override
    public List<ChatMessage> opening() {
        return opening;
    }

    @Override
    public EnvironmentStep step(String modelMessage) {
        if (finished) {
            throw new IllegalStateException("the episode is finished");
        }
        ToolCalls.Message message = ToolCalls.parse(modelMessage);
        messages.get(messages.size() - 1).add(message.kept());
        List<ChatMessage> observations = new ArrayList<>();
        for (ToolCalls.Block block : message.blocks()) {
            if (stepsInTurn == limits.stepsPerTurn()) {
                finished = true;
                return new EnvironmentStep(observations, true, true, true);
            }
            stepsInTurn++;
            for (String result : env.run(block, task.hiddenAt(turn))) {
                observations.add(ChatMessage.tool(result));
            }
        }
        if (!message.endsTurn()) {
            return new EnvironmentStep(observations, false, false);
        }
        turn++;
        stepsInTurn = 0;
        if (turn >= endTurn) {
            finished = true;
            return new EnvironmentStep(observations, true, true);
        }
        messages.add(new ArrayList<>());
        observations.add(ChatMessage.user(nextRequest()));
        return new EnvironmentStep(observations, true, false);
    }

    private String nextRequest() {
        StringBuilder r = new StringBuilder(task.turns().get(turn).request());
        if (task.withheld() != null && task.withheld().availableFromTurn() == turn) {
            for (ToolFunction f : task.functionsAt(turn)) {
                if (f.name().equals(task.withheld().function())) {
                    r.append("\n\nNew function available:\n").append(f.schema());
                }
            }
        }
        return r.toString();
    }

    @Override
    public boolean finished() {
        return finished;
    }

    /** Transcripts of every turn from the first to the current one. */
    private List<String> allTranscripts() {
        List<String> all = new ArrayList<>(ToolUseDomain.transcripts(prior));
        for (List<String> m : messages) {
            all.add(String.join("\n", m));
        }
        return all;
    }

    @Override
    public History history() {
        ToolUseChecker.Report report = ToolUseChecker.check(task, allTranscripts(), limits.stepsPerTurn());
        History h = prior;
        for (int i = 0; i < messages.size(); i++) {
            int t = startTurn + i;
            ToolUseChecker.TurnResult r =
                    t < report.turns().size() ? report.turns().get(t) : null;
            String verdict = r == null ? null : r.passed() ? "turn " + (t + 1) + ": passed" : r.failure();
            h = h.withNextTurn(new Turn(String.join("\n", messages.get(i)), i == 0 ? firstIterate : 1, verdict));
        }
        return h;
    }

    @Override
    public EpisodeOutcome outcome() {
        List<String> transcripts = allTranscripts();
        ToolUseChecker.Report report = ToolUseChecker.check(task, transcripts, limits.stepsPerTurn());
        Verification v = domain.verification(task, transcripts, limits.stepsPerTurn());
        return new EpisodeOutcome(
                v,
                Map.of(
                        "firstTurnCorrect",
                        report.firstTurnPassed() ? 1.0 : 0.0,
                        "turnsPassedFraction",
                        report.fractionPassed(),
                        "turnsChecked",
                        (double) report.turns().size()));
    }
}
