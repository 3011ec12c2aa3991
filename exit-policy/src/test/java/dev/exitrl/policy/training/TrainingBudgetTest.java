package dev.exitrl.policy.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.policy.model.ModelConfig;
import org.junit.jupiter.api.Test;

class TrainingBudgetTest {

    private static final ModelConfig TINY = ModelConfig.preset("tiny", 64, 0, 1, 2);
    private static final long P = 96_832; // parameters of the tiny preset at vocabulary 64 (bench-train prints it)
    private static final long EMBED = 64 * 64;

    @Test
    void stateScalesWithParametersAndActivationsWithTheMicroBatch() {
        GrpoConfig fp32 = GrpoConfig.defaults(1e-3);
        TrainingBudget b = TrainingBudget.of(TINY, P, EMBED, fp32, 8, 128);
        long tables = 2L * 512 * 16 * 4;
        assertThat(b.weights()).isEqualTo(4 * P + tables);
        assertThat(b.gradients()).isEqualTo(4 * P);
        assertThat(b.optimizer()).isEqualTo(8 * P + 8 * EMBED);
        assertThat(b.reference()).isEqualTo(4 * P + tables);
        assertThat(b.fp16Copy()).isZero();
        // (B, S, V) FP32 arrays: log-softmax output and two gradients of that size during backward
        assertThat(b.logits()).isEqualTo(3L * 8 * 128 * 64 * 4);
        // per token and layer: 6D + (H + 2Hkv)Dh + 2(H + Hkv)Dh + 2H Dh + 5F + H S = 2224 at S = 128
        long layer = 6 * 64 + 8 * 16 + 2 * 6 * 16 + 2 * 4 * 16 + 5 * 176 + 4 * 128;
        assertThat(b.activations()).isEqualTo(8L * 128 * (2 * layer + 3 * 64 + layer + 3 * 4 * 128) * 4);
        assertThat(b.total())
                .isEqualTo(b.weights() + b.gradients() + b.optimizer() + b.reference() + b.activations() + b.logits());

        assertThat(TrainingBudget.of(TINY, P, EMBED, fp32.withBeta(0), 8, 128).reference())
                .isZero();
        TrainingBudget half = TrainingBudget.of(TINY, P, EMBED, fp32.withPrecision(GrpoConfig.Precision.FP16), 8, 128);
        assertThat(half.activations() * 2).isEqualTo(b.activations());
        assertThat(half.fp16Copy()).isEqualTo(6 * P + tables); // policy weights + gradients, reference weights
        assertThat(TrainingBudget.of(TINY, P, EMBED, fp32, 16, 128).logits()).isEqualTo(2 * b.logits());
    }
}
