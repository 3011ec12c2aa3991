package dev.exitrl.policy.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class StopTrackerTest {

    /** Decodes id i to the letter 'a' + i. */
    static final Function<long[], String> LETTERS = ids -> {
        StringBuilder sb = new StringBuilder();
        for (long id : ids) {
            sb.append((char) ('a' + id));
        }
        return sb.toString();
    };

    @Test
    void rowsStopAtEosOrStopStringAndIgnoreLaterTokensAcrossChunks() {
        StopTracker stops = new StopTracker(3, 25, List.of("cd"), LETTERS);
        // (steps, rows) = (4, 3): row 0 hits EOS at step 1, row 1 completes "cd" at step 1, row 2 runs on.
        stops.accept(new long[] {0, 2, 1, 25, 3, 1, 7, 7, 1, 7, 7, 3}, 4);
        assertThat(stops.finished(0)).isTrue();
        assertThat(stops.finished(1)).isTrue();
        assertThat(stops.allDone()).isFalse();
        // A second chunk: row 2 reads "bbbdcd" after it and stops; rows 0 and 1 ignore theirs.
        stops.accept(new long[] {7, 7, 2, 7, 7, 3, 8, 8, 8}, 3);
        assertThat(stops.allDone()).isTrue();
        float[] lp = {-1, -2, -3, -4, -5, -6, -7};
        Generation eos = stops.generation(0, lp);
        assertThat(eos.tokenIds()).containsExactly(0, 25);
        assertThat(eos.logProbs()).containsExactly(-1, -2);
        assertThat(eos.finishReason()).isEqualTo("eos");
        assertThat(eos.text()).isEqualTo("az"); // the tracker does not cut EOS from the text; the tokenizer does
        Generation stop = stops.generation(1, lp);
        assertThat(stop.tokenIds()).containsExactly(2, 3);
        assertThat(stop.text()).isEmpty(); // cut before "cd"
        assertThat(stop.finishReason()).isEqualTo("stop");
        Generation late = stops.generation(2, lp);
        assertThat(late.tokenIds()).containsExactly(1, 1, 1, 3, 2, 3);
        assertThat(late.text()).isEqualTo("bbbd");
        assertThat(late.finishReason()).isEqualTo("stop");
        assertThat(stops.count(2)).isEqualTo(6);
    }

    @Test
    void withoutStopsRowsRunToLength() {
        StopTracker stops = new StopTracker(1, -1, List.of(), LETTERS);
        stops.accept(new long[] {25, 25}, 2);
        assertThat(stops.allDone()).isFalse();
        assertThat(stops.generation(0, new float[] {0, 0}).finishReason()).isEqualTo("length");
    }
}
