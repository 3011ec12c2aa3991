package dev.exitrl.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.exitrl.policy.model.CausalLm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Log-probabilities of response tokens given their prompts, in one right-padded batch: row r is
 * {@code prompt_r ++ response_r ++ pad}, and position j of the result is log p(token j+1 | tokens 0..j).
 *
 * <p>Dimensions: B batch, S longest prompt + response, V vocabulary.
 *
 * @param logProbs (B, S - 1) log p of each next token (meaningful where {@code mask} is 1)
 * @param mask (B, S - 1) 1 for response tokens the policy produced, 0 for prompt, padding and non-policy tokens
 * @param lengths response length of each row
 * @param starts index in the shifted axis of each row's first response token
 */
public record TokenLogProbs(NDArray logProbs, NDArray mask, int[] lengths, int[] starts) {

    /**
     * Runs the model over the pairs; arrays live in {@code manager}. Inside a {@code GradientCollector} the result
     * keeps the graph for a backward pass. {@code policyMasks} may be null (all response tokens count); an entry of
     * 0 marks a token the policy did not produce, such as tool output.
     */
    public static TokenLogProbs compute(
            CausalLm model,
            NDManager manager,
            List<long[]> prompts,
            List<long[]> responses,
            List<float[]> policyMasks) {
        int b = prompts.size();
        if (responses.size() != b || (policyMasks != null && policyMasks.size() != b)) {
            throw new IllegalArgumentException("prompts, responses and masks must have the same size");
        }
        int s = 2;
        for (int r = 0; r < b; r++) {
            if (prompts.get(r).length == 0) {
                throw new IllegalArgumentException(
                        "prompts[" + r + "] is empty: at least one token (e.g. BOS) is needed");
            }
            s = Math.max(s, prompts.get(r).length + responses.get(r).length);
        }
        long pad = Math.max(model.config().padTokenId(), 0);
        long[] ids = new long[b * s];
        long[] targets = new long[b * (s - 1)];
        float[] mask = new float[b * (s - 1)];
        int[] lengths = new int[b];
        int[] starts = new int[b];
        for (int r = 0; r < b; r++) {
            long[] p = prompts.get(r);
            long[] resp = responses.get(r);
            float[] pm = policyMasks == null ? null : policyMasks.get(r);
            if (pm != null && pm.length != resp.length) {
                throw new IllegalArgumentException(
                        "policyMasks[" + r + "] has " + pm.length + " entries for " + resp.length + " tokens");
            }
            Arrays.fill(ids, r * s, (r + 1) * s, pad);
            System.arraycopy(p, 0, ids, r * s, p.length);
            System.arraycopy(resp, 0, ids, r * s + p.length, resp.length);
            for (int j = 0; j < s - 1; j++) {
                targets[r * (s - 1) + j] = ids[r * s + j + 1];
            }
            lengths[r] = resp.length;
            starts[r] = p.length - 1;
            for (int i = 0; i < resp.length; i++) {
                mask[r * (s - 1) + p.length - 1 + i] = pm == null ? 1f : pm[i];
            }
        }
        NDArray input = manager.create(ids, new Shape(b, s)); // (B, S)
        NDArray logits = model.forward(input); // (B, S, V)
        NDArray shifted = logits.get(new NDIndex(":, :{}, :", s - 1)).logSoftmax(2); // (B, S - 1, V)
        NDArray target = manager.create(targets, new Shape(b, s - 1, 1)); // (B, S - 1, 1)
        NDArray logProbs = shifted.gather(target, 2).squeeze(2); // (B, S - 1)
        return new TokenLogProbs(logProbs, manager.create(mask, new Shape(b, s - 1)), lengths, starts);
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
