package dev.exitrl.policy.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.ModelConfig;
import dev.exitrl.policy.tokenizer.PolicyTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Batched autoregressive generation: prefill, then per step logits -> pick -> record, and every
 * {@link SamplingParams#syncEvery} steps one download of the sampled ids for the stop checks.
 *
 * <p>No host round trip per step: sampled ids and log-probs are written into (N, B, 1) device buffers, the picked
 * ids stay on the device as the next step's input, and the random draws are on the device from the start. The host sees ids only at
 * a sync, where {@link StopTracker} replays them step by step and drops what a finished row sampled after its EOS or
 * stop string; the device may run up to syncEvery - 1 steps past the point where every row finished.
 *
 * <p>Random draws: one uniform per (step, row), drawn on the host up front from {@code SplittableRandom(seed)} in the
 * order the per-step loop drew them (step-major, row-minor) and uploaded once as an (N, B, 1) array; each step reads
 * its row with one get. A device RNG would save the upload but its state is global to the engine (another request's
 * draws would change ours) and its stream differs from the previous sampler's, so outputs for a seed would change;
 * the host draws keep them bit-identical (GeneratorGoldenTest) for 4 bytes per (step, row) of device memory.
 *
 * <p>With {@link SamplingParams#maxBatch} slots and more prompts, {@link ContinuousBatcher} runs the request.
 *
 * <p>Dimensions: B batch, P padded prompt length, N max new tokens, V vocabulary.
 */
public final class Generator {

    private final CausalLm model;
    private final Function<long[], String> decoder;

    /** @param tokenizer decodes texts and checks stop strings; may be null when only ids are needed */
    public Generator(CausalLm model, PolicyTokenizer tokenizer) {
        this.model = model;
        this.decoder = tokenizer == null ? ids -> "" : tokenizer::decode;
    }

    /**
     * Generates with the KV cache: all prompts in one static batch, or with {@link SamplingParams#maxBatch} slots
     * and more prompts than that, by continuous batching (waiting prompts take the slots of finished rows). When the
     * ring that needs (longest prompt + N + syncEvery) does not fit the rotary table, it runs static batches of
     * maxBatch prompts instead.
     */
    public List<Generation> generate(List<long[]> prompts, SamplingParams params) {
        int slots = params.maxBatch();
        if (slots == 0 || slots >= prompts.size()) {
            return run(prompts, params, true);
        }
        int longest = PromptBatch.validate(prompts, model.config(), params.maxNewTokens());
        if (ContinuousBatcher.capacity(longest, params) <= model.config().maxPositionEmbeddings()) {
            return new ContinuousBatcher(model, decoder)
                    .generate(prompts, params)
                    .generations();
        }
        List<Generation> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i += slots) {
            out.addAll(run(prompts.subList(i, Math.min(prompts.size(), i + slots)), params, true));
        }
        return out;
    }

    /**
     * Generates by recomputing the whole sequence at every step (no cache), all prompts in one static batch
     * ({@link SamplingParams#maxBatch} is ignored). Slow; it exists as the reference the
     * cached path must match and as the benchmark baseline.
     */
    public List<Generation> generateWithoutCache(List<long[]> prompts, SamplingParams params) {
        return run(prompts, params, false);
    }

    private List<Generation> run(List<long[]> prompts, SamplingParams params, boolean useCache) {
        if (prompts.isEmpty()) {
            return List.of();
        }
        int n = params.maxNewTokens();
        PromptBatch batch = PromptBatch.of(prompts, model.config(), n, CausalLm.maskValue(model.dtype()));
        int b = batch.batch();
        StopTracker stops = new StopTracker(b, eosToStopAt(model.config(), params), params.stopStrings(), decoder);
        try (NDManager gen = model.manager().newSubManager();
                Decoder dec =
                        useCache ? new CachedDecoder(model, batch, gen) : new RecomputeDecoder(model, batch, gen)) {
            Steps steps = new Steps(gen, dec, params, b);
            int synced = 0;
            for (int t = 0; t < n; t++) {
                steps.run(t);
                if (t + 1 - synced == params.syncEvery() || t + 1 == n) {
                    stops.accept(steps.ids(synced, t + 1), t + 1 - synced);
                    synced = t + 1;
                    if (stops.allDone()) {
                        break;
                    }
                }
            }
            float[] lp = steps.logProbs(synced); // (steps, B) row-major
            List<Generation> out = new ArrayList<>(b);
            for (int r = 0; r < b; r++) {
                float[] mine = new float[stops.count(r)];
                for (int j = 0; j < mine.length; j++) {
                    mine[j] = lp[j * b + r];
                }
                out.add(stops.generation(r, mine));
            }
            return out;
        }
    }

    /**
     * The device side of one request: per step logits -> pick -> record into (N, B, 1) buffers, the next step's
     * input read back from them. Nothing here waits for the device except {@link #ids} and {@link #logProbs}.
     */
    static final class Steps {

        private final Decoder decoder;
        private final SamplingParams params;
        private final NDManager manager;
        private final NDArray uniforms; // (N, B, 1) float32, null for greedy decoding
        private final NDArray tokens; // (N, B, 1) int64
        private final NDArray logProbs; // (N, B, 1) float32
        private NDArray last; // (B, 1) int64 ids of the latest step

        Steps(NDManager manager, Decoder decoder, SamplingParams params, int b) {
            int n = params.maxNewTokens();
            this.decoder = decoder;
            this.params = params;
            this.manager = manager;
            this.uniforms =
                    params.greedyDecoding() ? null : manager.create(uniforms(params.seed(), n, b), new Shape(n, b, 1));
            this.tokens = manager.zeros(new Shape(n, b, 1), DataType.INT64);
            this.logProbs = manager.zeros(new Shape(n, b, 1), DataType.FLOAT32);
        }

        /** Step t: prefill at 0, else feed the ids of step t - 1; every other temporary dies with the step. */
        void run(int t) {
            try (NDManager step = manager.newSubManager()) {
                NDArray logits; // (B, V)
                if (t == 0) {
                    logits = decoder.prefill(step);
                } else {
                    last.attach(step); // the previous step's ids, kept alive for this step, die with it
                    logits = decoder.step(last, t, step);
                }
                TokenSampler.Picked picked = TokenSampler.pick(logits, params, row(uniforms, t, step));
                tokens.set(new NDIndex("{}", t), picked.ids());
                logProbs.set(new NDIndex("{}", t), picked.logProbs());
                last = picked.ids(); // (B, 1): the next input, without reading it back from the buffer
                last.attach(manager);
            }
        }

        /** Ids of steps [from, to) on the host, (to - from, B) row-major: the one download per sync. */
        long[] ids(int from, int to) {
            try (NDArray view = tokens.get(new NDIndex("{}:{}", from, to))) { // (steps, B, 1), freed at once
                return view.toLongArray();
            }
        }

        /** Log-probs of steps [0, to) on the host, (to, B) row-major. */
        float[] logProbs(int to) {
            try (NDArray view = logProbs.get(new NDIndex(":{}", Math.max(to, 1)))) { // (steps, B, 1)
                return view.toFloatArray();
            }
        }
    }

    /** The model's EOS when the params stop there, else -1 (no id matches). */
    static long eosToStopAt(ModelConfig config, SamplingParams params) {
        return params.stopAtEos() ? config.eosTokenId() : -1;
    }

    /** One uniform per (step, row), step-major, as the per-step sampler drew them: (N * B) floats. */
    static float[] uniforms(long seed, int steps, int rows) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[steps * rows];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) random.nextDouble();
        }
        return out;
    }

    /** Row t of an (N, ...) buffer as a view owned by {@code scope}, or null for a null buffer. */
    static NDArray row(NDArray buffer, int t, NDManager scope) {
        if (buffer == null) {
            return null;
        }
        NDArray view = buffer.get(t);
        view.attach(scope); // views are made in the buffer's manager; this one dies with the step
        return view;
    }
}
