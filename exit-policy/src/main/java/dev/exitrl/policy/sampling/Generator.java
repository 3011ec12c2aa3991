package dev.exitrl.policy.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.KvCache;
import dev.exitrl.policy.model.ModelConfig;
import dev.exitrl.policy.tokenizer.PolicyTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Batched autoregressive generation with a preallocated KV cache.
 *
 * <p>Prompts are left-padded to a common length P so every row writes the cache at the same slot; pad columns are
 * masked out of attention and rotary positions count real tokens only ({@code cumsum(mask) - 1}, as transformers
 * does), so a padded row computes what it would alone. Each decode step is one forward call over B new tokens,
 * on-device sampling, one download of the B sampled ids (for EOS and stop-string checks) and one in-place write of
 * the B log-probs into a device buffer read once at the end. Every step runs in its own sub-manager.
 *
 * <p>Dimensions: B batch, P padded prompt length, N max new tokens, T = P + N cache capacity, V vocabulary.
 */
public final class Generator {

    private final CausalLm model;
    private final Function<long[], String> decoder;

    /** @param tokenizer decodes texts and checks stop strings; may be null when only ids are needed */
    public Generator(CausalLm model, PolicyTokenizer tokenizer) {
        this.model = model;
        this.decoder = tokenizer == null ? ids -> "" : tokenizer::decode;
    }

    /** Generates with the KV cache. */
    public List<Generation> generate(List<long[]> prompts, SamplingParams params) {
        return run(prompts, params, true);
    }

    /**
     * Generates by recomputing the whole sequence at every step (no cache). Slow; it exists as the reference the
     * cached path must match and as the benchmark baseline.
     */
    public List<Generation> generateWithoutCache(List<long[]> prompts, SamplingParams params) {
        return run(prompts, params, false);
    }

    private List<Generation> run(List<long[]> prompts, SamplingParams params, boolean useCache) {
        ModelConfig config = model.config();
        int b = prompts.size();
        if (b == 0) {
            return List.of();
        }
        int p = 0;
        for (int i = 0; i < b; i++) {
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
        int n = params.maxNewTokens();
        int capacity = p + n;
        if (capacity > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("prompt length " + p + " + maxNewTokens " + n
                    + " exceeds max_position_embeddings " + config.maxPositionEmbeddings());
        }
        DataType dtype = model.dtype();
        float masked = CausalLm.maskValue(dtype);
        long pad = config.padTokenId() >= 0 ? config.padTokenId() : Math.max(config.eosTokenId(), 0);

        // Host-side layout of the left-padded prompts.
        long[] ids = new long[b * p];
        long[] positions = new long[b * p];
        long[] lengths = new long[b];
        float[] keyMask = new float[b * capacity]; // (B, T): masked for pad columns
        float[] prefillMask = new float[b * p * p]; // (B, 1, 1, P, P)
        for (int r = 0; r < b; r++) {
            long[] prompt = prompts.get(r);
            int offset = p - prompt.length;
            lengths[r] = prompt.length;
            for (int j = 0; j < p; j++) {
                boolean real = j >= offset;
                ids[r * p + j] = real ? prompt[j - offset] : pad;
                positions[r * p + j] = real ? j - offset : 1; // transformers fills pad positions with 1
                keyMask[r * capacity + j] = real ? 0 : masked;
                for (int k = 0; k < p; k++) {
                    // Causal over real keys; a pad query sees only itself so its softmax stays well defined.
                    boolean visible = k <= j && (k >= offset || k == j);
                    prefillMask[(r * p + j) * p + k] = visible ? 0 : masked;
                }
            }
        }

        SplittableRandom random = new SplittableRandom(params.seed());
        List<List<Long>> generated = new ArrayList<>();
        String[] finish = new String[b];
        int[] stopCut = new int[b];
        Arrays.fill(stopCut, -1);
        for (int r = 0; r < b; r++) {
            generated.add(new ArrayList<>());
        }
        int done = 0;
        int steps = 0;

        try (NDManager gen = model.manager().newSubManager();
                KvCache cache = useCache ? new KvCache(gen, config, b, capacity, dtype) : null) {
            NDArray keyMaskArr = gen.create(keyMask, new Shape(b, capacity)).toType(dtype, false); // (B, T)
            NDArray lengthArr = gen.create(lengths, new Shape(b, 1)); // (B, 1)
            NDArray logProbBuf = gen.zeros(new Shape(b, n), DataType.FLOAT32); // (B, N)
            NDArray sequence = gen.create(ids, new Shape(b, p)); // (B, P): recompute keeps the whole sequence
            NDArray allPositions = gen.create(positions, new Shape(b, p)); // (B, P)
            NDArray causal = useCache ? null : CausalLm.causalMask(gen, capacity, DataType.FLOAT32); // (1,1,1,T,T)
            NDArray nextInput = null; // (B, 1) ids sampled in the previous step, kept on the device
            for (int t = 0; t < n && done < b; t++) {
                try (NDManager step = gen.newSubManager()) {
                    NDArray logits; // (B, 1, V)
                    if (t == 0) {
                        NDArray inIds = step.create(ids, new Shape(b, p)); // (B, P)
                        NDArray inPos = step.create(positions, new Shape(b, p)); // (B, P)
                        NDArray mask = step.create(prefillMask, new Shape(b, 1, 1, p, p))
                                .toType(dtype, false);
                        logits = model.forward(inIds, inPos, mask, cache, 0, true);
                    } else if (useCache) {
                        // An op's result lands in its first operand's manager: move the input into this step's manager
                        // so
                        // the whole forward pass is freed with the step.
                        nextInput.attach(step);
                        int keys = p + t; // cache holds P + t - 1 entries; this step adds one
                        NDArray inPos = step.create((long) (t - 1)).add(lengthArr); // (B, 1)
                        NDArray mask = keyMaskArr.get(new NDIndex(":, :{}", keys)); // (B, T')
                        mask.attach(step);
                        logits = model.forward(nextInput, inPos, mask.reshape(b, 1, 1, 1, keys), cache, keys - 1, true);
                    } else {
                        // The step owns this step's sequence (and so every activation); the grown copy goes back to gen
                        // below.
                        sequence.attach(step);
                        allPositions.attach(step);
                        int len = p + t;
                        NDArray mask = causal.get(new NDIndex(":, :, :, :{}, :{}", len, len)); // (1, 1, 1, S, S)
                        mask.attach(step);
                        NDArray keyPart = keyMaskArr.get(new NDIndex(":, :{}", len)); // (B, S)
                        keyPart.attach(step);
                        NDArray full = mask.add(
                                        keyPart.toType(DataType.FLOAT32, false).reshape(b, 1, 1, 1, len))
                                .clip(masked, 0)
                                .toType(dtype, false); // (B, 1, 1, S, S)
                        logits = model.forward(sequence, allPositions, full, null, 0, true);
                    }
                    float[] uniforms = new float[b];
                    for (int r = 0; r < b; r++) {
                        uniforms[r] = (float) random.nextDouble();
                    }
                    TokenSampler.Picked picked = TokenSampler.pick(logits.squeeze(1), params, uniforms);
                    logProbBuf.set(new NDIndex(":, {}", t), picked.logProbs());
                    long[] chosen = picked.ids().toLongArray(); // the one host round trip per step
                    steps = t + 1;
                    for (int r = 0; r < b; r++) {
                        if (finish[r] != null) {
                            continue;
                        }
                        generated.get(r).add(chosen[r]);
                        if (params.stopAtEos() && chosen[r] == config.eosTokenId()) {
                            finish[r] = "eos";
                        } else if (!params.stopStrings().isEmpty()) {
                            String text = decoder.apply(toArray(generated.get(r)));
                            for (String stop : params.stopStrings()) {
                                int at = text.indexOf(stop);
                                if (at >= 0 && (stopCut[r] < 0 || at < stopCut[r])) {
                                    stopCut[r] = at;
                                    finish[r] = "stop";
                                }
                            }
                        }
                        if (finish[r] != null) {
                            done++;
                        }
                    }
                    NDArray next = picked.ids().reshape(b, 1); // (B, 1)
                    if (useCache) {
                        next.attach(gen);
                        nextInput = next;
                    } else {
                        NDArray grown = sequence.concat(next, 1); // (B, S + 1)
                        NDArray grownPos =
                                allPositions.concat(step.create((long) t).add(lengthArr), 1); // (B, S + 1)
                        grown.attach(gen);
                        grownPos.attach(gen);
                        sequence = grown;
                        allPositions = grownPos;
                    }
                }
            }
            float[] logProbs =
                    logProbBuf.get(new NDIndex(":, :{}", Math.max(steps, 1))).toFloatArray(); // (B, steps)
            List<Generation> out = new ArrayList<>(b);
            for (int r = 0; r < b; r++) {
                long[] tokens = toArray(generated.get(r));
                float[] lp = new float[tokens.length];
                System.arraycopy(logProbs, r * steps, lp, 0, tokens.length);
                String text = decoder.apply(tokens);
                if (stopCut[r] >= 0) {
                    text = text.substring(0, stopCut[r]);
                }
                out.add(new Generation(text, tokens, lp, finish[r] == null ? "length" : finish[r]));
            }
            return out;
        }
    }

    private static long[] toArray(List<Long> list) {
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
