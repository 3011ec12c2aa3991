package dev.exitrl.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * Rotary position embedding (Su et al. 2021) in Hugging Face's "rotate half" layout:
 * {@code x' = x * cos + rotate_half(x) * sin}, {@code rotate_half([a, b]) = [-b, a]}.
 *
 * <p>The tables are computed once in FP32 the way transformers does (inverse frequencies {@code 1/theta^(2i/Dh)}
 * in float, angle = position * frequency in float). {@code rotate_half} is a fixed signed permutation, so it is
 * applied as one matmul with a (Dh, Dh) matrix instead of split + negate + concat.
 *
 * <p>Dimensions: P table positions, Dh head width, B batch, S positions.
 */
final class Rope {

    private final NDArray cosTable; // (P, Dh)
    private final NDArray sinTable; // (P, Dh)
    private final NDArray rotation; // (Dh, Dh)
    private final int positions;

    Rope(NDManager manager, int headDim, double theta, int positions, DataType dtype) {
        this.positions = positions;
        int half = headDim / 2;
        float[] cos = new float[positions * headDim];
        float[] sin = new float[positions * headDim];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / headDim;
            float invFreq = 1f / (float) Math.pow((float) theta, exponent);
            for (int p = 0; p < positions; p++) {
                float angle = (float) p * invFreq;
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[p * headDim + i] = c;
                cos[p * headDim + i + half] = c;
                sin[p * headDim + i] = s;
                sin[p * headDim + i + half] = s;
            }
        }
        float[] rot = new float[headDim * headDim];
        for (int j = 0; j < half; j++) {
            rot[(j + half) * headDim + j] = -1f; // out[j] = -x[j + half]
            rot[j * headDim + j + half] = 1f; // out[j + half] = x[j]
        }
        this.cosTable = manager.create(cos, new Shape(positions, headDim)).toType(dtype, false);
        this.sinTable = manager.create(sin, new Shape(positions, headDim)).toType(dtype, false);
        this.rotation = manager.create(rot, new Shape(headDim, headDim)).toType(dtype, false);
    }

    int positions() {
        return positions;
    }

    NDArray rotation() {
        return rotation; // (Dh, Dh)
    }

    /** cos rows for the given positions, shaped to broadcast over heads. */
    NDArray cos(NDArray positionIds) { // positionIds: (B, S) or (B, S, 1) int64
        NDArray rows =
                Embedding.embedding(positionIds, cosTable, SparseFormat.DENSE).head(); // (B, S, Dh) or (B, S, 1, Dh)
        // A caller that keeps its positions as (B, S, 1) (the decode loop's table) saves the expandDims op.
        return positionIds.getShape().dimension() == 3 ? rows : rows.expandDims(2); // (B, S, 1, Dh)
    }

    NDArray sin(NDArray positionIds) { // positionIds: (B, S) or (B, S, 1) int64
        NDArray rows =
                Embedding.embedding(positionIds, sinTable, SparseFormat.DENSE).head(); // (B, S, Dh) or (B, S, 1, Dh)
        // A caller that keeps its positions as (B, S, 1) (the decode loop's table) saves the expandDims op.
        return positionIds.getShape().dimension() == 3 ? rows : rows.expandDims(2); // (B, S, 1, Dh)
    }
}
