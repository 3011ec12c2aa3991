package dev.exitrl.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.exitrl.policy.MemoryCensus;
import org.junit.jupiter.api.Test;

/**
 * A forward pass leaves in the caller's manager only what does not depend on the depth of the model: each decoder
 * layer's temporaries are freed when the layer returns. Before that, every activation of every layer stayed in the
 * caller's manager until it closed (the GPU out-of-memory at batch 256 in #15).
 */
class ForwardMemoryTest {

    private static ModelConfig withLayers(int layers) {
        ModelConfig t = ModelConfig.preset("tiny", 64, 0, 1, 2);
        return new ModelConfig(
                t.architecture(),
                t.vocabSize(),
                t.hiddenSize(),
                t.intermediateSize(),
                layers,
                t.numHeads(),
                t.numKvHeads(),
                t.headDim(),
                t.ropeTheta(),
                t.rmsNormEps(),
                t.attentionBias(),
                t.tieWordEmbeddings(),
                t.maxPositionEmbeddings(),
                t.bosTokenId(),
                t.eosTokenId(),
                t.padTokenId());
    }

    /** Arrays and bytes left in a fresh manager by one full forward pass of a (4, 16) batch. */
    private static MemoryCensus afterForward(int layers) {
        try (CausalLm model = CausalLm.random(withLayers(layers), Device.cpu(), DataType.FLOAT32, 3);
                NDManager m = model.manager().newSubManager()) {
            NDArray ids = m.arange(0, 64, 1, DataType.INT64).reshape(4, 16); // (B, S)
            NDArray logits = model.forward(ids); // (B, S, V)
            assertThat(logits.getShape()).isEqualTo(new Shape(4, 16, 64));
            return MemoryCensus.of(m);
        }
    }

    @Test
    void deeperModelsLeaveNoMoreArraysInTheCallersManager() {
        MemoryCensus two = afterForward(2);
        MemoryCensus six = afterForward(6);
        assertThat(six.arrays()).isEqualTo(two.arrays());
        assertThat(six.bytes()).isEqualTo(two.bytes());
        // What is left: ids, positions, mask, rotary rows, embeddings, the last layer's output, the final norm's
        // temporaries and the logits: a couple of dozen arrays, not dozens per layer.
        assertThat(two.arrays()).isLessThan(30);
    }
}
