package dev.exitrl.policy.sampling;

import dev.exitrl.policy.model.ModelConfig;
import java.util.List;

/**
 * Host-side layout of a batch of prompts, left-padded to a common length P so every row writes the KV cache at the
 * same slot. Pad columns are masked out of attention and rotary positions count real tokens only
 * ({@code cumsum(mask) - 1}, as transformers does), so a padded row computes what it would alone.
 *
 * <p>Dimensions: B batch, P padded prompt length, N max new tokens, T = P + N cache capacity.
 *
 * @param ids (B, P) left-padded token ids, row-major
 * @param positions (B, P) rotary positions; pad columns hold 1 as transformers fills them
 * @param lengths (B) real prompt lengths: the position of a row's first generated token
 * @param keyMask (B, T) additive mask over cache slots: {@code masked} for pad columns, 0 elsewhere
 * @param prefillMask (B, P, P) additive prefill mask: causal over real keys; a pad query sees only itself so its
 *     softmax stays well defined
 */
record PromptBatch(
        int batch,
        int promptLen,
        int maxNewTokens,
        long[] ids,
        long[] positions,
        long[] lengths,
        float[] keyMask,
        float[] prefillMask) {

    int capacity() {
        return promptLen + maxNewTokens;
    }

    /**
     * Checks every prompt and returns the longest prompt's length.
     *
     * @throws IllegalArgumentException naming the prompt that is empty or holds an id outside the vocabulary, or when
     *     the longest prompt plus {@code maxNewTokens} exceeds the rotary table
     */
    static int validate(List<long[]> prompts, ModelConfig config, int maxNewTokens) {
        int p = 0;
        for (int i = 0; i < prompts.size(); i++) {
            long[] prompt = prompts.get(i);
            if (prompt.length == 0) {
                throw new IllegalArgumentException(
                        "prompts[" + i + "] is empty: at least one token (e.g. BOS) is needed");
            }
            for (long id : prompt) {
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException(
                            "prompts[" + i + "] holds id " + id + " outside [0, " + config.vocabSize() + ")");
                }
            }
            p = Math.max(p, prompt.length);
        }
        if (p + maxNewTokens > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("prompt length " + p + " + maxNewTokens " + maxNewTokens
                    + " exceeds max_position_embeddings " + config.maxPositionEmbeddings());
        }
        return p;
    }

    /**
     * Validates (see {@link #validate}) and lays out the prompts.
     *
     * @param masked the additive mask value for hidden columns (finite in the model's dtype)
     */
    static PromptBatch of(List<long[]> prompts, ModelConfig config, int maxNewTokens, float masked) {
        int b = prompts.size();
        int p = validate(prompts, config, maxNewTokens);
        int capacity = p + maxNewTokens;
        long pad = config.padTokenId() >= 0 ? config.padTokenId() : Math.max(config.eosTokenId(), 0);
        long[] ids = new long[b * p];
        long[] positions = new long[b * p];
        long[] lengths = new long[b];
        float[] keyMask = new float[b * capacity];
        float[] prefillMask = new float[b * p * p];
        for (int r = 0; r < b; r++) {
            long[] prompt = prompts.get(r);
            int offset = p - prompt.length;
            lengths[r] = prompt.length;
            for (int j = 0; j < p; j++) {
                boolean real = j >= offset;
                ids[r * p + j] = real ? prompt[j - offset] : pad;
                positions[r * p + j] = real ? j - offset : 1;
                keyMask[r * capacity + j] = real ? 0 : masked;
                for (int k = 0; k < p; k++) {
                    boolean visible = k <= j && (k >= offset || k == j);
                    prefillMask[(r * p + j) * p + k] = visible ? 0 : masked;
                }
            }
        }
        return new PromptBatch(b, p, maxNewTokens, ids, positions, lengths, keyMask, prefillMask);
    }
}
