package dev.exitrl.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.exitrl.policy.MemoryCensus;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.KvCache;
import dev.exitrl.policy.model.ModelConfig;
import org.junit.jupiter.api.Test;

/** The written-down budget's weights and cache match the arrays the model and the cache actually allocate. */
class SamplingBudgetTest {

    @Test
    void weightsAndCacheMatchTheAllocatedArrays() {
        ModelConfig config = ModelConfig.preset("tiny", 300, 0, 1, 2);
        int batch = 3;
        int prompt = 10;
        int newTokens = 6;
        try (CausalLm model = CausalLm.random(config, Device.cpu(), DataType.FLOAT32, 1)) {
            SamplingBudget budget =
                    SamplingBudget.of(config, model.parameterCount(), DataType.FLOAT32, batch, prompt, newTokens);
            long held = MemoryCensus.of(model.manager()).bytes();
            // The model's manager also holds small constants (the rotary permutation, two scalars).
            assertThat((double) Math.abs(held - budget.weights()) / budget.weights())
                    .isLessThan(0.01);
            try (NDManager m = model.manager().newSubManager()) {
                new KvCache(m, config, batch, prompt + newTokens, DataType.FLOAT32);
                assertThat(MemoryCensus.of(m).bytes()).isEqualTo(budget.kvCache());
            }
            assertThat(budget.partsMb()).containsOnlyKeys("weights", "kv_cache", "activations", "sampling");
        }
    }
}
