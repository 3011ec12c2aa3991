package dev.exitrl.core.domain.tooluse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.domain.TaskJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ToolUseCheckerTest {
    private static final String SCENARIO = """
            {"filesystem": {"cwd": "/alex", "root": {"alex": {"notes": {"a.txt": "one\\ntwo\\nthree"}}}}}
            """;

    static ToolUseTask task(ToolUseTask.Withheld withheld, ToolUseTask.UserTurn... turns) {
        return new ToolUseTask(
                List.of(FileSystemApi.NAME),
                (ObjectNode) TaskJson.mapper().readTree(SCENARIO),
                "Your home directory is /alex.",
                List.of(turns),
                withheld,
                1);
    }

    private static final ToolUseTask.UserTurn WRITE = new ToolUseTask.UserTurn(
            "Create w.txt in notes with the text 'hi'.",
            List.of(
                    ToolUseGenerator.call("cd", "folder", "/alex/notes"),
                    ToolUseGenerator.call("touch", "file_name", "w.txt"),
                    ToolUseGenerator.call("echo", "content", "hi", "file_name", "w.txt")));
    private static final ToolUseTask.UserTurn COUNT = new ToolUseTask.UserTurn(
            "How many lines does a.txt in notes have?",
            List.of(
                    ToolUseGenerator.call("cd", "folder", "/alex/notes"),
                    ToolUseGenerator.call("wc", "file_name", "a.txt", "mode", "l")));
    private final ToolUseTask task = task(null, WRITE, COUNT);

    private static String block(String json) {
        return "<tool_call>" + json + "</tool_call>";
    }

    private ToolUseChecker.Report check(String... transcripts) {
        return ToolUseChecker.check(task, List.of(transcripts), ToolUseChecker.STEPS_PER_TURN);
    }

    @Test
    void groundTruthPassesEveryTurn() {
        ToolUseChecker.Report r = check(task.groundTruthTranscript(0), task.groundTruthTranscript(1));
        assertThat(r.allPassed()).isTrue();
        assertThat(r.turns()).hasSize(2);
        assertThat(r.firstFailure()).isNull();
    }

    @Test
    void extraHarmlessCallsAndAnotherRouteStillPass() {
        String turn1 = block("{\"name\":\"ls\",\"arguments\":{}}") + "\nLet me look.\n"
                + block("[{\"name\":\"cd\",\"arguments\":{\"folder\":\"notes\"}},"
                        + "{\"name\":\"touch\",\"arguments\":{\"file_name\":\"w.txt\"}}]")
                + block("{\"name\":\"echo\",\"arguments\":{\"content\":\"hi\",\"file_name\":\"w.txt\"}}")
                + block("{\"name\":\"cat\",\"arguments\":{\"file_name\":\"w.txt\"}}")
                + block("{\"name\":\"cat\",\"arguments\":{\"file_name\":\"missing\"}}"); // an error result is harmless
        // the model stays in /alex/notes; the current directory is private state, so turn 2 needs no cd
        String turn2 = block("{\"name\":\"pwd\",\"arguments\":{}}")
                + block("{\"name\":\"wc\",\"arguments\":{\"file_name\":\"a.txt\"}}");
        assertThat(check(turn1, turn2).allPassed()).isTrue();
    }

    @Test
    void reachingTheStateWithoutMakingTheGroundTruthsCallsFails() {
        // echo alone creates the file with the right text, but the result of the ground truth's touch is missing
        String noTouch = block("{\"name\":\"cd\",\"arguments\":{\"folder\":\"notes\"}}")
                + block("{\"name\":\"echo\",\"arguments\":{\"content\":\"hi\",\"file_name\":\"w.txt\"}}");
        assertThat(check(noTouch).firstFailure()).startsWith("turn 1: missing result of {\"name\":\"touch\"");
    }

    @Test
    void aMissingGroundTruthResultFailsAndIsNamed() {
        String turn2 = block("{\"name\":\"cd\",\"arguments\":{\"folder\":\"/alex/notes\"}}")
                + block("{\"name\":\"cat\",\"arguments\":{\"file_name\":\"a.txt\"}}");
        ToolUseChecker.Report r = check(task.groundTruthTranscript(0), turn2);
        assertThat(r.turns().get(0).passed()).isTrue();
        assertThat(r.turns().get(1).passed()).isFalse();
        assertThat(r.firstFailure())
                .startsWith("turn 2: missing result of {\"name\":\"wc\"")
                .contains("{\"count\":3,\"type\":\"lines\"}");
        assertThat(r.fractionPassed()).isEqualTo(0.5);
        assertThat(r.firstTurnPassed()).isTrue();
    }

    @Test
    void resultsMustCoverTheGroundTruthAsAMultiset() {
        ToolUseTask twice = task(
                null,
                new ToolUseTask.UserTurn(
                        "Count the lines twice.",
                        List.of(
                                ToolUseGenerator.call("cd", "folder", "/alex/notes"),
                                ToolUseGenerator.call("wc", "file_name", "a.txt", "mode", "l"),
                                ToolUseGenerator.call("wc", "file_name", "a.txt", "mode", "l"))));
        String once = block("{\"name\":\"cd\",\"arguments\":{\"folder\":\"notes\"}}")
                + block("{\"name\":\"wc\",\"arguments\":{\"file_name\":\"a.txt\"}}");
        assertThat(ToolUseChecker.check(twice, List.of(once), 20).allPassed()).isFalse();
        String both = once + block("{\"name\":\"wc\",\"arguments\":{\"file_name\":\"a.txt\"}}");
        assertThat(ToolUseChecker.check(twice, List.of(both), 20).allPassed()).isTrue();
    }

    @Test
    void aWrongStateFieldFailsAndIsNamed() {
        String wrong = block("{\"name\":\"cd\",\"arguments\":{\"folder\":\"notes\"}}")
                + block("{\"name\":\"echo\",\"arguments\":{\"content\":\"hello\",\"file_name\":\"w.txt\"}}");
        ToolUseChecker.Report r = check(wrong, task.groundTruthTranscript(1));
        assertThat(r.turns().get(0).passed()).isFalse();
        assertThat(r.firstFailure())
                .isEqualTo("turn 1: wrong state field state.filesystem.root.alex.notes['w.txt']:"
                        + " expected \"hi\", got \"hello\"");
        String extraFile =
                task.groundTruthTranscript(0) + block("{\"name\":\"touch\",\"arguments\":{\"file_name\":\"x\"}}");
        assertThat(check(extraFile).firstFailure())
                .isEqualTo("turn 1: wrong state field state.filesystem.root.alex.notes.x: unexpected (expected absent,"
                        + " got \"\")");
        assertThat(check("nothing").firstFailure()).contains("['w.txt']: missing");
    }

    @Test
    void aTurnIsCappedAtTwentySteps() {
        String ls = block("{\"name\":\"ls\",\"arguments\":{}}");
        List<String> blocks = new ArrayList<>(Collections.nCopies(17, ls));
        String truth = task.groundTruthTranscript(0); // three blocks
        String twenty = String.join("\n", blocks) + "\n" + truth;
        assertThat(check(twenty).allPassed()).isTrue();
        String twentyOne = ls + "\n" + twenty;
        ToolUseChecker.Report r = check(twentyOne, task.groundTruthTranscript(1));
        assertThat(r.allPassed()).isFalse();
        assertThat(r.firstFailure()).isEqualTo("turn 1: more than 20 steps (the turn was cut off)");
        assertThat(r.turns().get(1).failure()).isEqualTo("turn 2: not reached");
        assertThat(ToolUseChecker.check(task, List.of(truth), 2).allPassed()).isFalse();
    }

    @Test
    void invalidBlocksAreErrorResultsNotExceptions() {
        String messy = block("{not json") + block("[]") + block("42") + "<tool_call>{\"name\":\"ls\"";
        ToolUseChecker.Report r = check(messy + task.groundTruthTranscript(0));
        assertThat(r.allPassed()).isFalse(); // the unclosed block swallows the rest of the turn
        assertThat(check(block("{not json") + task.groundTruthTranscript(0)).allPassed())
                .isTrue();
    }

    @Test
    void aWithheldFunctionIsUnknownUntilItIsAnnounced() {
        ToolUseTask missed = task(
                new ToolUseTask.Withheld("echo", 1),
                new ToolUseTask.UserTurn(WRITE.request(), List.of()),
                new ToolUseTask.UserTurn("echo is available now; do it.", WRITE.calls()));
        assertThat(missed.functionsAt(0)).extracting(ToolFunction::name).doesNotContain("echo");
        assertThat(missed.functionsAt(1)).extracting(ToolFunction::name).contains("echo");
        String declined = "I cannot write text into a file with these functions.";
        assertThat(ToolUseChecker.check(missed, List.of(declined, missed.groundTruthTranscript(1)), 20)
                        .allPassed())
                .isTrue();
        // trying the hidden function early gets an error result and changes nothing; touching a file does change state
        String early = block("{\"name\":\"echo\",\"arguments\":{\"content\":\"hi\",\"file_name\":\"w.txt\"}}");
        assertThat(ToolUseChecker.check(missed, List.of(early, missed.groundTruthTranscript(1)), 20)
                        .allPassed())
                .isTrue();
        ToolEnvironment env = missed.newEnvironment();
        assertThat(env.call(missed.turns().get(1).calls().get(2), missed.hiddenAt(0)))
                .contains("unknown function 'echo'");
    }
}
