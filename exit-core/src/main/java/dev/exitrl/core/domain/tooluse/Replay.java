package dev.exitrl.core.domain.tooluse;

import java.util.ArrayList;
import java.util.List;

/** Re-runs turn transcripts to show them with the tool results they got (for revision prompts). */
final class Replay {
    private Replay() {}

    /**
     * For each transcript, its text with every call block followed by its results ({@code -> result}); blocks past
     * the step cap are left unrun.
     */
    static List<List<String>> annotate(ToolUseTask task, List<String> transcripts) {
        ToolEnvironment env = task.newEnvironment();
        List<List<String>> out = new ArrayList<>();
        for (int t = 0; t < transcripts.size(); t++) {
            String text = transcripts.get(t);
            List<String> lines = new ArrayList<>();
            int from = 0;
            int steps = 0;
            for (ToolCalls.Block block : ToolCalls.blocks(text)) {
                int open = text.indexOf(ToolCalls.OPEN, from);
                int close = text.indexOf(ToolCalls.CLOSE, open);
                int end = close < 0 ? text.length() : close + ToolCalls.CLOSE.length();
                lines.add(text.substring(from, end).strip());
                from = end;
                if (++steps <= ToolUseChecker.STEPS_PER_TURN) {
                    for (String r : env.run(block, task.hiddenAt(t))) {
                        lines.add("-> " + r);
                    }
                }
            }
            String rest = text.substring(from).strip();
            if (!rest.isEmpty()) {
                lines.add(rest);
            }
            out.add(lines);
        }
        return out;
    }
}
