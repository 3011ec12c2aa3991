package dev.exitrl.policy.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Per-row stop bookkeeping on the host. Sampled ids arrive in chunks of steps (the device runs ahead between two
 * downloads); each row takes its tokens one step at a time, as a per-step loop would, and ignores everything after
 * its EOS or stop string, so outputs do not depend on how often ids are downloaded.
 */
final class StopTracker {

    private final long eos; // -1 when EOS does not stop a row
    private final List<String> stopStrings;
    private final Function<long[], String> decoder;
    private final List<long[]> tokens = new ArrayList<>(); // per row, grown by doubling
    private final int[] counts;
    private final String[] finish;
    private final int[] stopCut;
    private int done;

    StopTracker(int rows, long eos, List<String> stopStrings, Function<long[], String> decoder) {
        this.eos = eos;
        this.stopStrings = stopStrings;
        this.decoder = decoder;
        this.counts = new int[rows];
        this.finish = new String[rows];
        this.stopCut = new int[rows];
        Arrays.fill(stopCut, -1);
        for (int r = 0; r < rows; r++) {
            tokens.add(new long[16]);
        }
    }

    /** Feeds {@code steps} steps of ids, laid out (steps, rows) row-major. */
    void accept(long[] chunk, int steps) {
        int rows = counts.length;
        for (int s = 0; s < steps; s++) {
            for (int r = 0; r < rows; r++) {
                accept(r, chunk[s * rows + r]);
            }
        }
    }

    /** Appends one id to an unfinished row and checks EOS and stop strings; a finished row ignores it. */
    void accept(int row, long id) {
        if (finish[row] != null) {
            return;
        }
        long[] ids = tokens.get(row);
        if (counts[row] == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
            tokens.set(row, ids);
        }
        ids[counts[row]++] = id;
        if (id == eos) {
            finish[row] = "eos";
        } else if (!stopStrings.isEmpty()) {
            String text = decoder.apply(tokens(row));
            for (String stop : stopStrings) {
                int at = text.indexOf(stop);
                if (at >= 0 && (stopCut[row] < 0 || at < stopCut[row])) {
                    stopCut[row] = at;
                    finish[row] = "stop";
                }
            }
        }
        if (finish[row] != null) {
            done++;
        }
    }

    boolean finished(int row) {
        return finish[row] != null;
    }

    boolean allDone() {
        return done == counts.length;
    }

    int count(int row) {
        return counts[row];
    }

    long[] tokens(int row) {
        return Arrays.copyOf(tokens.get(row), counts[row]);
    }

    /** The row's result; {@code logProbs} holds at least {@link #count} entries for it. */
    Generation generation(int row, float[] logProbs) {
        long[] ids = tokens(row);
        String text = decoder.apply(ids);
        if (stopCut[row] >= 0) {
            text = text.substring(0, stopCut[row]);
        }
        return new Generation(
                text, ids, Arrays.copyOf(logProbs, ids.length), finish[row] == null ? "length" : finish[row]);
    }
}
