package dev.exitrl.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** {@code bench-train}'s output contract on the tiny preset, FP32 and FP16. */
class TrainingBenchTest {

    private static final String TINY = Path.of("bench", "tiny-config.json").toString();

    @Test
    void printsThroughputBudgetAndMemoryInBothPrecisions() throws Exception {
        for (String precision : new String[] {"fp32", "fp16"}) {
            Map<String, Object> r = TrainingBench.training(Map.of(
                    "config", TINY,
                    "device", "cpu",
                    "batch", "3",
                    "micro-batch", "2",
                    "seq-len", "40",
                    "steps", "1",
                    "precision", precision));
            assertThat(r.get("precision")).isEqualTo(precision);
            assertThat((double) r.get("tokens_per_s")).isPositive();
            assertThat((String) r.get("tokens_counted_as")).startsWith("batch x seq_len");
            assertThat(r.get("padded_seq_len")).isEqualTo(64); // 40 rounded up to the next power of two
            @SuppressWarnings("unchecked")
            Map<String, Double> parts = (Map<String, Double>) r.get("budget");
            double sum =
                    parts.values().stream().mapToDouble(Double::doubleValue).sum();
            double budget = (double) r.get("budget_mb");
            assertThat(sum).isCloseTo(budget, Offset.offset(1e-9));
            assertThat(parts.get("fp16_copy") > 0).isEqualTo(precision.equals("fp16"));
            assertThat(parts.get("reference")).isPositive(); // default beta 0.001 > 0
            double used = (double) r.get("memory_used_mb");
            // Peak RSS of the timed steps minus RSS before the model: in a JVM that already ran larger tests the tiny
            // model fits in memory that is resident already, so 0 is possible; it is never above the peak itself.
            assertThat(used).isFinite().isLessThanOrEqualTo((double) r.get("peak_rss_mb"));
            assertThat((double) r.get("memory_over_budget")).isCloseTo(used / budget, Offset.offset(1e-9));
            assertThat((String) r.get("memory_measure")).startsWith("cpu: peak RSS");
            if (precision.equals("fp16")) {
                assertThat((double) r.get("loss_scale")).isPositive();
                assertThat(r).containsKey("skipped_steps");
            }
        }
    }

    @Test
    void rejectsAnUnknownPrecision() {
        assertThatThrownBy(() -> TrainingBench.training(
                        Map.of("config", TINY, "device", "cpu", "precision", "bf16", "steps", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("precision");
    }
}
