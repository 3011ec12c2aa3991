package dev.exitrl.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.exitrl.policy.Fixtures;
import dev.exitrl.policy.checkpoint.HfCheckpoint;
import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.Generator;
import dev.exitrl.policy.sampling.SamplingParams;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The FP16 inference path (meant for GPUs) run on the CPU: same code, half-precision weights, cache and masks.
 * Its logits must stay close to FP32 and its cached greedy decoding must equal its own recompute.
 */
class HalfPrecisionTest {

    @Test
    void halfPrecisionTracksFloat32() throws Exception {
        Path dir = Fixtures.hfTiny().resolve("qwen2");
        try (CausalLm full = HfCheckpoint.load(dir, Device.cpu(), DataType.FLOAT32);
                CausalLm half = HfCheckpoint.load(dir, Device.cpu(), DataType.FLOAT16)) {
            assertThat(half.dtype()).isEqualTo(DataType.FLOAT16);
            List<long[]> prompts = List.of(new long[] {0, 281, 284, 286, 28}, new long[] {0, 5, 7});
            SamplingParams greedy = SamplingParams.greedy(6).withStopAtEos(false);
            Generator halfGen = new Generator(half, null);
            List<Generation> cached = halfGen.generate(prompts, greedy);
            List<Generation> recomputed = halfGen.generateWithoutCache(prompts, greedy);
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(cached.get(i).tokenIds())
                        .containsExactly(recomputed.get(i).tokenIds());
                for (float lp : cached.get(i).logProbs()) {
                    assertThat(lp).isFinite();
                }
            }
            try (var m = full.manager().newSubManager()) {
                var ids = m.create(prompts.get(0), new Shape(1, 5));
                float[] a = full.forward(ids).toFloatArray();
                float[] b = half.forward(ids).toFloatArray();
                double maxErr = 0;
                for (int i = 0; i < a.length; i++) {
                    maxErr = Math.max(maxErr, Math.abs(a[i] - b[i]));
                }
                assertThat(maxErr).isLessThan(0.05);
            }
        }
    }
}
