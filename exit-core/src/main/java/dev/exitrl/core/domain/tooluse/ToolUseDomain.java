package dev.exitrl.core.domain.tooluse;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Demonstration;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.Episode;
import dev.exitrl.core.domain.EpisodeLimits;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.SplitGenerator;
import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.domain.TaskSplits;
import dev.exitrl.core.domain.Verification;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * Multi-turn tool use ({@code tool-use}), modelled on BFCL v3 multi-turn-base: a user makes 1-4 requests in turn;
 * the model acts through 31 functions of three deterministic, stateful APIs ({@link FileSystemApi} 15,
 * {@link MessagingApi} 8, {@link TicketingApi} 8), and {@link ToolUseChecker} compares it with the ground truth after
 * every turn. Response format: see {@link ToolCalls}.
 *
 * <p><b>Two views of one task.</b> The environment loop ({@link #startEpisode}, {@link ToolUseEpisode}) is how
 * rollouts and evaluation run it. The single-response SPI maps a response to an episode as follows: the response is
 * the transcript of the model's messages of turns 1..n, turns separated by {@code <turn_done>}; {@link #verify}
 * replays it and checks turns 1..n (n = number of segments, at most the task's turn count; a trailing marker adds no
 * turn). So a plain response to the {@code SOLVE} prompt, which shows the first request, is scored on the first turn:
 * the paper's training signal (first user request only) and its metric (first-turn accuracy).
 *
 * <p><b>ExIt on multi-turn.</b> A history holds one {@link Turn} per user turn: the model's messages of that turn,
 * latest revision only. A revision step of a history with {@code t} turns redoes turn {@code t}: the environment
 * replays turns 1..t-1, the prompt shows the earlier requests with their transcripts, the current request and the
 * previous attempt at it (with the tool results it got), and never the checker's verdict (the turns' feedback holds
 * the verdict for logging only). Every prefix of a history is itself a valid history, so selection can restart from
 * any revision prefix.
 *
 * <p>Choices where the paper and BFCL are silent: quality is binary (1 iff every checked turn passes); the episode
 * outcome also reports {@code firstTurnCorrect} and {@code turnsPassedFraction}; {@code DEBUG} is never chosen
 * ({@link #attemptFailed} is false: a failed tool call is an observation, not a crash) and renders like
 * {@code IMPROVE}; the default reward mode is {@link RewardMode#ABSOLUTE} (the appendix's plain verifier reward).
 */
public final class ToolUseDomain implements Domain {
    public static final String ID = "tool-use";

    private static final String INSTRUCTIONS = "You help a user by calling functions. To call a function, write"
            + " <tool_call>{\"name\": \"<function>\", \"arguments\": {<name>: <value>}}</tool_call>; a block may also"
            + " hold a JSON list of calls. The result of every call comes back to you before you continue. When the"
            + " request is done, or cannot be done with these functions, reply without a call (or write "
            + ToolCalls.TURN_DONE + ").";

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
        return RewardMode.ABSOLUTE;
    }

    @Override
    public boolean isMultiTurn() {
        return true;
    }

    @Override
    public TaskSplits generate(GeneratorSpec spec) {
        ToolUseGenerator generator = new ToolUseGenerator(spec.difficulty());
        return SplitGenerator.generate(ID, spec, rng -> {
            ToolUseTask t = generator.next(rng);
            String problem = problemOf(t);
            return new SplitGenerator.Candidate(problem, t.payload(), problem);
        });
    }

    /** The context and the first request: what a {@code SOLVE} prompt states, and the task's identity. */
    static String problemOf(ToolUseTask t) {
        return t.context() + "\n\nUser request:\n" + t.turns().get(0).request();
    }

    static BaseTask toTask(ToolUseTask t, Split split) {
        String problem = problemOf(t);
        return new BaseTask(ID, BaseTask.contentId(ID, problem), split, problem, t.payload());
    }

    @Override
    public String renderPrompt(BaseTask task, StepKind kind, History history) {
        ToolUseTask t = ToolUseTask.read(task);
        if (kind == StepKind.SOLVE) {
            if (!history.isEmpty()) {
                throw new IllegalArgumentException("a SOLVE prompt takes an empty history");
            }
            return header(t, 0) + task.problem() + "\n";
        }
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a " + kind + " prompt needs a previous attempt");
        }
        int turn = history.turnCount() - 1;
        if (turn >= t.turns().size()) {
            throw new IllegalArgumentException("the history has " + history.turnCount() + " turns, the task "
                    + t.turns().size());
        }
        List<String> transcripts = transcripts(history);
        List<List<String>> annotated = Replay.annotate(t, transcripts);
        StringBuilder p = new StringBuilder(header(t, turn));
        if (turn == 0) {
            p.append(task.problem()).append("\n\n");
        } else {
            p.append(t.context()).append("\n\nEarlier requests, already handled:\n");
            for (int i = 0; i < turn; i++) {
                p.append("Request ")
                        .append(i + 1)
                        .append(": ")
                        .append(t.turns().get(i).request())
                        .append("\nYour messages:\n")
                        .append(String.join("\n", annotated.get(i)))
                        .append("\n\n");
            }
            p.append("Current request:\n").append(t.turns().get(turn).request()).append("\n\n");
        }
        p.append("Previous attempt at this request:\n")
                .append(String.join("\n", annotated.get(turn)))
                .append("\n\n")
                .append("The environment is back in the state it had before that attempt. ");
        if (kind == StepKind.DIVERGE) {
            p.append("Take a significantly different approach. First state the approach the previous attempt used."
                    + " Then propose a different approach. Then carry out the request with the new approach.\n");
        } else {
            p.append("Improve the previous attempt: check each call, fix any mistakes, and carry out the request"
                    + " again.\n");
        }
        return p.toString();
    }

    /** The instructions and the functions available during {@code turn}, one JSON schema a line. */
    private static String header(ToolUseTask t, int turn) {
        StringBuilder h = new StringBuilder(INSTRUCTIONS).append("\n\nFunctions:\n");
        for (ToolFunction f : t.functionsAt(turn)) {
            h.append(f.schema()).append('\n');
        }
        return h.append('\n').toString();
    }

    static List<String> transcripts(History history) {
        List<String> out = new ArrayList<>();
        for (Turn turn : history.turns()) {
            out.add(turn.response());
        }
        return out;
    }

    /** The calls the response makes, as a JSON list, or null when it makes none. */
    @Override
    public String parseAnswer(String response) {
        if (response == null) {
            return null;
        }
        ArrayNode calls = TaskJson.mapper().createArrayNode();
        for (ToolCalls.Block block : ToolCalls.blocks(response)) {
            block.calls().forEach(calls::add);
        }
        return calls.isEmpty() ? null : calls.toString();
    }

    /** The response as a transcript of turns 1..n (see the class comment), checked turn by turn. */
    @Override
    public Verification verify(BaseTask task, String response) {
        return verification(ToolUseTask.read(task), splitTurns(response), ToolUseChecker.STEPS_PER_TURN);
    }

    /** The turn transcripts of a single response: segments between {@code <turn_done>} markers. */
    static List<String> splitTurns(String response) {
        String text = response == null ? "" : response;
        List<String> segments = new ArrayList<>(List.of(text.split(ToolCalls.TURN_DONE, -1)));
        if (segments.size() > 1 && segments.get(segments.size() - 1).isBlank()) {
            segments.remove(segments.size() - 1);
        }
        return segments;
    }

    /** Joins turn transcripts into one response that {@link #verify} reads back as the same turns. */
    static String joinTurns(List<String> transcripts) {
        return String.join("\n" + ToolCalls.TURN_DONE + "\n", transcripts);
    }

    Verification verification(ToolUseTask t, List<String> transcripts, int stepsPerTurn) {
        ToolUseChecker.Report report = ToolUseChecker.check(t, transcripts, stepsPerTurn);
        String answer = parseAnswer(String.join("\n", transcripts));
        if (report.allPassed()) {
            return new Verification(
                    1.0, true, "Correct: all " + report.turns().size() + " checked turn(s) passed.", answer);
        }
        return new Verification(0.0, false, report.firstFailure(), answer);
    }

    @Override
    public Episode startEpisode(BaseTask task, StepKind kind, History history, EpisodeLimits limits) {
        return new ToolUseEpisode(this, task, ToolUseTask.read(task), kind, history, limits);
    }

    /**
     * Cycles through six kinds of example on generated tasks (difficulty 1 to 5 at random, tasks whose first turn
     * has ground-truth calls): the ground-truth first turn as a solve, an imperfect solve (its last call replaced by
     * {@code ls}), improve from that to the ground truth, debug from an attempt with broken JSON, diverge from the
     * imperfect attempt, and improve from the ground truth to itself.
     */
    @Override
    public List<Demonstration> demonstrations(long seed, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Demonstration> out = new ArrayList<>(n);
        while (out.size() < n) {
            int difficulty = 1 + rng.nextInt(GeneratorSpec.MAX_DIFFICULTY);
            ToolUseTask t = new ToolUseGenerator(difficulty).next(rng.split());
            if (t.turns().get(0).calls().isEmpty()) {
                continue;
            }
            BaseTask task = toTask(t, Split.TRAIN);
            String truth = t.groundTruthTranscript(0);
            String imperfect = imperfect(t);
            String broken = ToolCalls.OPEN + "{\"name\": \"ls\", \"arguments\": {\"a\": }" + ToolCalls.CLOSE;
            out.add(
                    switch (out.size() % 6) {
                        case 0 -> demonstrate(task, StepKind.SOLVE, History.empty(), truth);
                        case 1 -> demonstrate(task, StepKind.SOLVE, History.empty(), imperfect);
                        case 2 -> demonstrate(task, StepKind.IMPROVE, attempt(task, imperfect), truth);
                        case 3 -> demonstrate(task, StepKind.DEBUG, attempt(task, broken), truth);
                        case 4 ->
                            demonstrate(
                                    task,
                                    StepKind.DIVERGE,
                                    attempt(task, imperfect),
                                    "Previous approach: it listed the folder instead of finishing the request.\n"
                                            + "New approach: make exactly the calls the request needs, in order.\n"
                                            + truth);
                        default -> demonstrate(task, StepKind.IMPROVE, attempt(task, truth), truth);
                    });
        }
        return out;
    }

    private static String imperfect(ToolUseTask t) {
        List<JsonNode> calls = new ArrayList<>(t.turns().get(0).calls());
        calls.set(calls.size() - 1, ToolCalls.call("ls", null));
        StringBuilder s = new StringBuilder();
        for (JsonNode c : calls) {
            s.append(ToolCalls.render(c)).append('\n');
        }
        return s.append("Done.").toString();
    }

    private History attempt(BaseTask task, String response) {
        return History.of(new Turn(response, 1, verify(task, response).feedback()));
    }
}
