package dev.exitrl.policy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.exitrl.policy.checkpoint.HfCheckpoint;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.ModelConfig;
import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.Generator;
import dev.exitrl.policy.sampling.SamplingParams;
import dev.exitrl.policy.tokenizer.PolicyTokenizer;
import dev.exitrl.policy.training.TokenLogProbs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The policy as the services use it: a causal LM plus its tokenizer, loaded from (and saved to) a Hugging Face
 * checkpoint directory ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}).
 *
 * <p>Not thread-safe: one request at a time (the weights are shared; the KV cache belongs to one call).
 */
public final class Policy implements AutoCloseable {

    private final CausalLm model;
    private final PolicyTokenizer tokenizer;
    private final Generator generator;

    public Policy(CausalLm model, PolicyTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.generator = new Generator(model, tokenizer);
    }

    /** Loads a checkpoint directory onto a device ({@code auto|cpu|gpu}) in FP32. */
    public static Policy load(Path dir, String device) throws IOException {
        Device d = Devices.resolve(device);
        return load(dir, d, DataType.FLOAT32);
    }

    public static Policy load(Path dir, Device device, DataType dtype) throws IOException {
        PolicyTokenizer tok = PolicyTokenizer.load(dir);
        try {
            return new Policy(HfCheckpoint.load(dir, device, dtype), tok);
        } catch (IOException | RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    /** A freshly initialised model of the given configuration (seeded) with an existing tokenizer. */
    public static Policy create(ModelConfig config, Path tokenizerFile, Device device, long seed) throws IOException {
        PolicyTokenizer tok = PolicyTokenizer.load(tokenizerFile);
        return new Policy(CausalLm.random(config, device, DataType.FLOAT32, seed), tok);
    }

    public CausalLm model() {
        return model;
    }

    public PolicyTokenizer tokenizer() {
        return tokenizer;
    }

    /** Encodes prompt strings (with the tokenizer's special tokens) and samples continuations. */
    public List<Generation> generate(List<String> prompts, SamplingParams params) {
        List<long[]> ids = new ArrayList<>(prompts.size());
        for (String p : prompts) {
            ids.add(tokenizer.encode(p));
        }
        return generator.generate(ids, params);
    }

    /** Samples continuations of already tokenised prompts. */
    public List<Generation> generateIds(List<long[]> prompts, SamplingParams params) {
        return generator.generate(prompts, params);
    }

    /** log p(response token | prompt, earlier response tokens) for each (prompt, response) pair, without gradient. */
    public List<float[]> tokenLogProbs(List<long[]> prompts, List<long[]> responses) {
        try (NDManager m = model.manager().newSubManager()) {
            return TokenLogProbs.compute(model, m, prompts, responses, null).toRows();
        }
    }

    /** Logits (S, V) of one sequence, for inspection. */
    public float[][] logits(long[] ids) {
        try (NDManager m = model.manager().newSubManager()) {
            NDArray logits = model.forward(m.create(ids, new Shape(1, ids.length))); // (1, S, V)
            float[] flat = logits.toFloatArray();
            int v = model.config().vocabSize();
            float[][] out = new float[ids.length][v];
            for (int i = 0; i < ids.length; i++) {
                System.arraycopy(flat, i * v, out[i], 0, v);
            }
            return out;
        }
    }

    /** Replaces the weights with those stored in {@code dir} (same configuration), e.g. a new policy version. */
    public void loadWeights(Path dir) throws IOException {
        HfCheckpoint.loadWeightsInto(model, dir);
    }

    /** Writes {@code config.json}, {@code model.safetensors} and {@code tokenizer.json} into {@code dir}. */
    public void save(Path dir) throws IOException {
        HfCheckpoint.save(model, dir);
        tokenizer.save(dir);
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
