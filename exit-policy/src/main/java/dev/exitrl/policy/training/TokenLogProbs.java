package dev.exitrl.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Log-probabilities of response tokens given their prompts, in one right-padded batch: row r is
 * {@code prompt_r ++ response_r ++ pad}, and position j of the result is log p(token j+1 | tokens 0..j).
 *
 * <p>Dimensions: B batch (rows, padding rows included), S padded length, V vocabulary.
 *
 * <p>Memory: the (B, S, V) logits and their log-softmax are made in a scope closed before returning, so only the
 * (B, S - 1) result stays attached to the caller's manager; under autograd the graph keeps what backward needs
 * (the log-softmax output), not our handles to the logits. Without that, the logits and the log-softmax stayed
 * alive until the caller's micro-batch ended, about 2 x B x S x V x 4 bytes more than backward needs. The
 * log-softmax runs over all S positions (the last one's result is dropped afterwards), so backward needs no
 * gradient of a sliced (B, S, V) view: 3 (B, S, V) FP32 arrays at its peak (saved output, its gradient, the logits'
 * gradient) instead of 4.
 *
 * <p>Padding ({@link #compute(CausalLm, NDManager, List, List, List, int, int)}): rows beyond the given pairs and
 * positions beyond a row's end hold the pad id with mask 0. The model is causal and rows are right-padded, so
 * padding changes no real position's logits; masked positions then add nothing to a loss or its gradient.
 *
 * @param logProbs (B, S - 1) log p of each next token (meaningful where {@code mask} is 1)
 * @param mask (B, S - 1) 1 for response tokens the policy produced, 0 for prompt, padding and non-policy tokens
 * @param lengths response length of each real row
 * @param starts index in the shifted axis of each real row's first response token
 * @param hostMask the mask as built on the host, row-major (B, S - 1), so callers need not copy it back
 */
public record TokenLogProbs(NDArray logProbs, NDArray mask, int[] lengths, int[] starts, float[] hostMask) {

    /**
     * Runs the model over the pairs, unpadded (S = longest prompt + response); arrays live in {@code manager}.
     * Inside a {@code GradientCollector} the result keeps the graph for a backward pass. {@code policyMasks} may be
     * null (all response tokens count); an entry of 0 marks a token the policy did not produce, such as tool output.
     */
    public static TokenLogProbs compute(
            CausalLm model,
            NDManager manager,
            List<long[]> prompts,
            List<long[]> responses,
            List<float[]> policyMasks) {
        return compute(model, manager, prompts, responses, policyMasks, 0, 0);
    }

    /**
     * As {@link #compute(CausalLm, NDManager, List, List, List)}, padded to fixed shapes: at least {@code rows}
     * rows, and S rounded up by {@link #bucketLength(int, int)} ({@code bucket} 0 = no rounding).
     */
    public static TokenLogProbs compute(
            CausalLm model,
            NDManager manager,
            List<long[]> prompts,
            List<long[]> responses,
            List<float[]> policyMasks,
            int rows,
            int bucket) {
        int real = prompts.size();
        if (responses.size() != real || (policyMasks != null && policyMasks.size() != real)) {
            throw new IllegalArgumentException("prompts, responses and masks must have the same size");
        }
        int longest = 2;
        for (int r = 0; r < real; r++) {
            if (prompts.get(r).length == 0) {
                throw new IllegalArgumentException(
                        "prompts[" + r + "] is empty: at least one token (e.g. BOS) is needed");
            }
            longest = Math.max(longest, prompts.get(r).length + responses.get(r).length);
        }
        int s = paddedLength(model.config(), longest, bucket);
        int b = Math.max(real, rows);
        long pad = Math.max(model.config().padTokenId(), 0);
        long[] ids = new long[b * s];
        Arrays.fill(ids, pad);
        // Position j's target is id j + 1; the last position has none and gets the pad id (its result is dropped).
        long[] targets = new long[b * s];
        Arrays.fill(targets, pad);
        float[] mask = new float[b * (s - 1)];
        int[] lengths = new int[real];
        int[] starts = new int[real];
        for (int r = 0; r < real; r++) {
            long[] p = prompts.get(r);
            long[] resp = responses.get(r);
            float[] pm = policyMasks == null ? null : policyMasks.get(r);
            if (pm != null && pm.length != resp.length) {
                throw new IllegalArgumentException(
                        "policyMasks[" + r + "] has " + pm.length + " entries for " + resp.length + " tokens");
            }
            System.arraycopy(p, 0, ids, r * s, p.length);
            System.arraycopy(resp, 0, ids, r * s + p.length, resp.length);
            lengths[r] = resp.length;
            starts[r] = p.length - 1;
            for (int i = 0; i < resp.length; i++) {
                mask[r * (s - 1) + p.length - 1 + i] = pm == null ? 1f : pm[i];
            }
        }
        for (int r = 0; r < b; r++) {
            System.arraycopy(ids, r * s + 1, targets, r * s, s - 1);
        }
        // Arrays made from Java arrays borrow the Java buffer on the CPU (closing them frees it, whatever autograd
        // still refers to), so the two that backward reads, the ids (embedding) and the targets (gather), are made
        // in the caller's manager; the forward pass gets a copy of the ids that libtorch owns.
        NDArray hostIds = manager.create(ids, new Shape(b, s)); // (B, S)
        NDArray target = manager.create(targets, new Shape(b, s, 1)); // (B, S, 1)
        NDArray logProbs; // (B, S - 1)
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = hostIds.duplicate(); // (B, S)
            input.attach(scope); // the forward pass's arrays follow the ids' manager: this scope
            NDArray logits = model.forward(input); // (B, S, V) FLOAT32
            // Over all S positions, then drop the last column of the (B, S) result: slicing the (B, S, V) logits
            // instead would cost one more (B, S, V) array in backward (the slice's gradient).
            NDArray all = logits.logSoftmax(2).gather(target, 2).squeeze(2); // (B, S)
            logProbs = all.get(new NDIndex(":, :{}", s - 1)); // (B, S - 1)
            logProbs.attach(manager);
        }
        return new TokenLogProbs(logProbs, manager.create(mask, new Shape(b, s - 1)), lengths, starts, mask);
    }

    /**
     * The length a micro-batch whose longest sequence has {@code longest} ids is padded to: {@link #bucketLength}, but
     * never past the rotary table (a padded length that does not fit falls back to the exact one).
     */
    public static int paddedLength(ModelConfig config, int longest, int bucket) {
        int bucketed = bucketLength(longest, bucket);
        return bucketed <= config.maxPositionEmbeddings() ? bucketed : longest;
    }

    /**
     * The padded length for a longest sequence of {@code length}: the next power of two up to {@code bucket}, then
     * the next multiple of {@code bucket} (bucket 64: 2, 4, ..., 64, 128, 192, ...). Short sequences waste at most
     * half, long ones under {@code bucket} positions; {@code bucket} 0 returns {@code length}.
     */
    static int bucketLength(int length, int bucket) {
        if (bucket <= 0) {
            return length;
        }
        if (length <= bucket) {
            return Math.min(bucket, Integer.highestOneBit(length - 1) << 1);
        }
        return (length + bucket - 1) / bucket * bucket;
    }

    /** The response tokens' log-probs, one array per row (copies to the host). */
    public List<float[]> toRows() {
        float[] flat = logProbs.toFloatArray();
        int width = (int) logProbs.getShape().get(1);
        List<float[]> out = new ArrayList<>(lengths.length);
        for (int r = 0; r < lengths.length; r++) {
            float[] row = new float[lengths[r]];
            System.arraycopy(flat, r * width + starts[r], row, 0, lengths[r]);
            out.add(row);
        }
        return out;
    }
}
