package dev.exitrl.policy.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.exitrl.policy.model.CausalLm;

/**
 * Decoding without a cache: every step runs the whole sequence so far. Slow; it is the reference the cached
 * decoder must match and the benchmark's baseline.
 *
 * <p>Dimensions: B batch, P padded prompt length, S current length, T = P + N capacity, V vocabulary.
 */
final class RecomputeDecoder implements Decoder {

    private final CausalLm model;
    private final PromptBatch batch;
    private final NDManager manager;
    private final NDArray causal; // (1, 1, 1, T, T) float32
    private final NDArray keyMask; // (B, T) float32
    private final NDArray lengths; // (B, 1) int64
    private NDArray sequence; // (B, S) int64
    private NDArray positions; // (B, S) int64

    RecomputeDecoder(CausalLm model, PromptBatch batch, NDManager parent) {
        this.model = model;
        this.batch = batch;
        this.manager = parent.newSubManager();
        int b = batch.batch();
        this.causal = CausalLm.causalMask(manager, batch.capacity(), DataType.FLOAT32);
        this.keyMask = manager.create(batch.keyMask(), new Shape(b, batch.capacity()));
        this.lengths = manager.create(batch.lengths(), new Shape(b, 1));
        this.sequence = manager.create(batch.ids(), new Shape(b, batch.promptLen()));
        this.positions = manager.create(batch.positions(), new Shape(b, batch.promptLen()));
    }

    @Override
    public NDArray prefill(NDManager scope) {
        return forward(scope);
    }

    @Override
    public NDArray step(NDArray last, int t, NDManager scope) {
        sequence.attach(scope); // the previous sequence dies with this step; the grown one moves to the decoder
        positions.attach(scope);
        NDArray position = scope.create((long) (t - 1)).add(lengths); // (B, 1)
        sequence = sequence.concat(last, 1); // (B, S)
        positions = positions.concat(position, 1); // (B, S)
        return forward(scope);
    }

    private NDArray forward(NDManager scope) {
        int b = batch.batch();
        int len = (int) sequence.getShape().get(1);
        NDArray ids = sequence;
        NDArray pos = positions;
        ids.attach(scope);
        pos.attach(scope);
        NDArray square = causal.get(new NDIndex(":, :, :, :{}, :{}", len, len)); // (1, 1, 1, S, S)
        square.attach(scope);
        NDArray keys = keyMask.get(new NDIndex(":, :{}", len)); // (B, S)
        keys.attach(scope);
        float masked = CausalLm.maskValue(model.dtype());
        NDArray mask = square.add(keys.reshape(b, 1, 1, 1, len))
                .clip(masked, 0)
                .toType(model.dtype(), false); // (B, 1, 1, S, S)
        NDArray logits = model.forward(ids, pos, mask, null, 0, true).reshape(b, -1); // (B, V)
        // Keep the sequence for the next step: it outlives this step's scope.
        ids.attach(manager);
        pos.attach(manager);
        return logits;
    }

    @Override
    public void close() {
        manager.close();
    }
}
