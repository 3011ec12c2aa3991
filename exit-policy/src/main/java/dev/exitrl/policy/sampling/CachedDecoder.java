package dev.exitrl.policy.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.KvCache;

/**
 * Decoding with a preallocated KV cache and fixed decode shapes: each step feeds B new tokens and attends over the
 * whole (B, Hkv, T, Dh) cache, hiding unwritten slots with a mask, so every step allocates the same shapes (a
 * caching allocator reuses its blocks) and nothing is uploaded from the host per step: the step's mask is one
 * table row plus the prompt's pad mask, its rotary positions one row of a position table.
 *
 * <p>Dimensions: B batch, P padded prompt length, N max new tokens, T = P + N cache capacity, V vocabulary.
 */
final class CachedDecoder implements Decoder {

    private final CausalLm model;
    private final PromptBatch batch;
    private final NDManager manager;
    private final KvCache cache;
    private final NDArray padMask; // (B, 1, 1, T) model dtype: masked/2 at pad columns
    private final NDArray stepMask; // (N, T) model dtype: row t hides slots >= P + t (masked/2)
    private final NDArray stepPositions; // (N, B, 1, 1) int64: row t = lengths + t - 1, shaped as Rope takes it

    CachedDecoder(CausalLm model, PromptBatch batch, NDManager parent) {
        this.model = model;
        this.batch = batch;
        this.manager = parent.newSubManager();
        DataType dtype = model.dtype();
        int b = batch.batch();
        int p = batch.promptLen();
        int n = batch.maxNewTokens();
        int t = batch.capacity();
        this.cache = new KvCache(manager, model.config(), b, t, dtype);
        // Both tables hold half the mask value, so a slot hidden by both stays finite in FP16 (-65000 twice would
        // overflow to -inf) and a slot hidden by one is still far below any score.
        float half = CausalLm.maskValue(dtype) / 2;
        float[] pad = batch.keyMask().clone();
        for (int i = 0; i < pad.length; i++) {
            pad[i] = pad[i] == 0 ? 0 : half;
        }
        float[] future = new float[n * t];
        long[] positions = new long[n * b];
        for (int s = 0; s < n; s++) {
            for (int c = p + s; c < t; c++) {
                future[s * t + c] = half;
            }
            for (int r = 0; r < b; r++) {
                positions[s * b + r] = batch.lengths()[r] + s - 1;
            }
        }
        this.padMask = manager.create(pad, new Shape(b, 1, 1, t)).toType(dtype, false);
        this.stepMask = manager.create(future, new Shape(n, t)).toType(dtype, false);
        this.stepPositions = manager.create(positions, new Shape(n, b, 1, 1));
    }

    @Override
    public NDArray prefill(NDManager scope) {
        int b = batch.batch();
        int p = batch.promptLen();
        NDArray ids = scope.create(batch.ids(), new Shape(b, p)); // (B, P)
        NDArray positions = scope.create(batch.positions(), new Shape(b, p)); // (B, P)
        NDArray mask = scope.create(batch.prefillMask(), new Shape(b, 1, 1, p, p))
                .toType(model.dtype(), false); // (B, 1, 1, P, P): P visible slots
        return model.forward(ids, positions, mask, cache, 0, true).reshape(b, -1); // (B, V)
    }

    @Override
    public NDArray step(NDArray last, int t, NDManager scope) {
        // Rows of the tables are views made in this decoder's manager: move them to the step's scope, so the ops
        // on them (and the whole forward pass) land there and die with the step.
        NDArray future = stepMask.get(t); // (T)
        future.attach(scope);
        NDArray positions = stepPositions.get(t); // (B, 1, 1)
        positions.attach(scope);
        NDArray mask = future.add(padMask); // (B, 1, 1, T): T visible slots, the whole cache
        int slot = batch.promptLen() + t - 1;
        return model.forward(last, positions, mask, cache, slot, true).reshape(batch.batch(), -1); // (B, V)
    }

    @Override
    public void close() {
        manager.close();
    }
}
