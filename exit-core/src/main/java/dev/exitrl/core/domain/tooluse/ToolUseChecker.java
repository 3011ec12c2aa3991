package dev.exitrl.core.domain.tooluse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * BFCL v3 multi-turn checker. Model calls and ground-truth calls run on two separate environments started from the
 * task's scenario. After every user turn that has ground-truth calls: (1) every public state field of every module
 * must equal the ground truth's (the failure names the first differing field), and (2) the results of that turn's
 * ground-truth calls must be a multiset subset of all the model's results so far (the failure names the first
 * missing result). A turn may take at most {@code stepsPerTurn} call blocks; a turn that needs more fails and ends
 * the episode (BFCL's force-quit). The episode is correct only if every checked turn passes.
 *
 * <p>Turns without ground-truth calls (the turn whose function is withheld) are not checked by themselves, as in
 * BFCL; their effects on the state are caught at the next checked turn.
 */
final class ToolUseChecker {
    /** The default step cap per user turn, as in BFCL. */
    static final int STEPS_PER_TURN = 20;

    record TurnResult(boolean passed, String failure) {}

    /** One result per played turn, in order. */
    record Report(List<TurnResult> turns) {
        Report {
            turns = List.copyOf(turns);
        }

        boolean allPassed() {
            return turns.stream().allMatch(TurnResult::passed);
        }

        double fractionPassed() {
            return turns.stream().filter(TurnResult::passed).count() / (double) turns.size();
        }

        boolean firstTurnPassed() {
            return turns.get(0).passed();
        }

        /** The first failure message, or null when every turn passed. */
        String firstFailure() {
            return turns.stream()
                    .filter(t -> !t.passed())
                    .map(TurnResult::failure)
                    .findFirst()
                    .orElse(null);
        }
    }

    private ToolUseChecker() {}

    /**
     * Checks the model's transcripts of the first {@code transcripts.size()} user turns (at most the task's).
     *
     * @param transcripts the model's messages of each turn, joined (call blocks in order)
     */
    static Report check(ToolUseTask task, List<String> transcripts, int stepsPerTurn) {
        int played = Math.max(1, Math.min(transcripts.size(), task.turns().size()));
        ToolEnvironment model = task.newEnvironment();
        ToolEnvironment truth = task.newEnvironment();
        Map<String, Integer> modelResults = new HashMap<>();
        List<TurnResult> out = new ArrayList<>();
        for (int t = 0; t < played; t++) {
            String transcript = t < transcripts.size() ? transcripts.get(t) : "";
            List<ToolCalls.Block> blocks = ToolCalls.blocks(transcript);
            int runnable = Math.min(blocks.size(), stepsPerTurn);
            for (int b = 0; b < runnable; b++) {
                for (String r : model.run(blocks.get(b), task.hiddenAt(t))) {
                    modelResults.merge(r, 1, Integer::sum);
                }
            }
            if (blocks.size() > stepsPerTurn) {
                out.add(new TurnResult(
                        false, "turn " + (t + 1) + ": more than " + stepsPerTurn + " steps (the turn was cut off)"));
                while (out.size() < played) {
                    out.add(new TurnResult(false, "turn " + (out.size() + 1) + ": not reached"));
                }
                break;
            }
            List<String> truthResults = new ArrayList<>();
            for (JsonNode call : task.turns().get(t).calls()) {
                truthResults.add(truth.call(call, task.hiddenAt(t)));
            }
            if (truthResults.isEmpty()) {
                out.add(new TurnResult(true, null));
                continue;
            }
            String stateDiff = JsonDiff.firstDifference("state", truth.state(), model.state());
            if (stateDiff != null) {
                out.add(new TurnResult(false, "turn " + (t + 1) + ": wrong state field " + stateDiff));
                continue;
            }
            String missing = missingResult(truthResults, task.turns().get(t).calls(), modelResults);
            out.add(
                    missing == null
                            ? new TurnResult(true, null)
                            : new TurnResult(false, "turn " + (t + 1) + ": missing result " + missing));
        }
        return new Report(out);
    }

    /** The first ground-truth result (with its call) not covered by the model's results as a multiset, or null. */
    private static String missingResult(List<String> truth, List<JsonNode> calls, Map<String, Integer> model) {
        Map<String, Integer> left = new HashMap<>(model);
        for (int i = 0; i < truth.size(); i++) {
            String r = truth.get(i);
            int n = left.getOrDefault(r, 0);
            if (n == 0) {
                return "of " + calls.get(i) + ": " + r;
            }
            left.put(r, n - 1);
        }
        return null;
    }
}
