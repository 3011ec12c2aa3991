package dev.exitrl.policy.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Llama / Qwen2 family decoder-only language model that reproduces Hugging Face transformers' forward pass.
 *
 * <p>Weights live in this block's own manager and are never touched by a request; per-request state (the
 * {@link KvCache}) and every activation live in the caller's managers. q/k/v and gate/up projections are stored
 * fused; {@link #loadHf} and {@link #hfTensors} translate to and from Hugging Face's tensor names.
 *
 * <p>Dimensions: B batch, S new positions, T key positions, D hidden size, V vocabulary, L layers.
 */
public final class CausalLm extends AbstractBlock implements AutoCloseable {

    private final ModelConfig config;
    private final NDManager manager;
    private final DataType dtype;
    private final Parameter embed; // (V, D)
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final RmsNorm norm;
    private final Parameter lmHead; // (V, D) or null when tied to embed
    private final Rope rope;
    private final ForwardState.Constants constants;
    private final NDArray upcast; // (1) FP32 zero: adding it casts FP16 logits to FP32 inside the autograd graph

    private CausalLm(ModelConfig config, Device device, DataType dtype) {
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
            throw new IllegalArgumentException("dtype: " + dtype + " not supported, allowed are float32, float16");
        }
        this.config = config;
        this.dtype = dtype;
        this.manager = NDManager.newBaseManager(device);
        this.embed = addParameter(Parameter.builder()
                .setName("embed_tokens")
                .setType(Parameter.Type.WEIGHT)
                .build());
        for (int i = 0; i < config.numLayers(); i++) {
            layers.add(addChildBlock("layer" + i, new DecoderLayer(config, i)));
        }
        this.norm = addChildBlock("norm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
        this.lmHead = config.tieWordEmbeddings()
                ? null
                : addParameter(Parameter.builder()
                        .setName("lm_head")
                        .setType(Parameter.Type.WEIGHT)
                        .build());
        this.rope = new Rope(manager, config.headDim(), config.ropeTheta(), config.maxPositionEmbeddings(), dtype);
        this.constants = new ForwardState.Constants(
                manager.create((float) config.rmsNormEps()).toType(dtype, false),
                manager.create((float) (1.0 / Math.sqrt(config.headDim()))).toType(dtype, false));
        this.upcast = manager.zeros(new Shape(1), DataType.FLOAT32);
    }

    /** A model with Hugging Face weights (FLOAT32 arrays keyed by HF tensor names). */
    public static CausalLm fromHf(ModelConfig config, Map<String, NDArray> tensors, Device device, DataType dtype) {
        CausalLm model = new CausalLm(config, device, dtype);
        try {
            model.loadHf(tensors);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * A randomly initialised model: weights N(0, 0.02) (the HF initializer range), norms 1, biases 0. The draw uses
     * the engine's generator seeded with {@code seed}, so it is reproducible on one engine and device.
     */
    public static CausalLm random(ModelConfig config, Device device, DataType dtype, long seed) {
        CausalLm model = new CausalLm(config, device, dtype);
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        try (NDManager tmp = NDManager.newBaseManager(device)) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> e : model.hfShapes().entrySet()) {
                String name = e.getKey();
                NDArray value = name.endsWith("norm.weight")
                        ? tmp.ones(e.getValue())
                        : name.endsWith(".bias")
                                ? tmp.zeros(e.getValue())
                                : tmp.randomNormal(0, 0.02f, e.getValue(), DataType.FLOAT32);
                tensors.put(name, value);
            }
            model.loadHf(tensors);
        }
        return model;
    }

    public ModelConfig config() {
        return config;
    }

    public DataType dtype() {
        return dtype;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** The manager that owns the weights. */
    public NDManager manager() {
        return manager;
    }

    /**
     * Runs the decoder.
     *
     * @param ids (B, S) int64 token ids; the result lives in ids' manager
     * @param positions (B, S) or (B, S, 1) int64 rotary positions (the decoder passes (B, S, 1), which saves a reshape
     *     per step)
     * @param mask additive attention mask broadcastable to (B, 1, 1, S, T); a single-position decode step may pass
     *     (B, 1, 1, T) (see {@link ForwardState})
     * @param cache the request's cache (keys written at {@code cacheStart}) or null
     * @param lastOnly project only the last position to the vocabulary (decoding)
     * @return (B, S, V) or (B, 1, V) FLOAT32 logits
     */
    public NDArray forward(
            NDArray ids, NDArray positions, NDArray mask, KvCache cache, int cacheStart, boolean lastOnly) {
        long s = ids.getShape().get(1);
        ForwardState state =
                new ForwardState(rope.cos(positions), rope.sin(positions), mask, cache, cacheStart, constants);
        NDManager outer = ids.getManager();
        NDArray x =
                Embedding.embedding(ids, embed.getArray(), SparseFormat.DENSE).head(); // (B, S, D)
        for (DecoderLayer layer : layers) {
            // Each layer's temporaries live in their own scope, freed when the layer returns: DJL frees an array
            // only when its manager closes, so without this every activation of every layer stayed alive until
            // the caller's manager closed (at batch 256 on a GPU, over 100 GB). Under autograd the graph keeps
            // its own references to what backward needs; closing our handles frees only the rest.
            try (NDManager scope = outer.newSubManager()) {
                x.attach(scope); // the previous layer's output dies with this scope
                NDArray y = layer.apply(x, rope, state); // (B, S, D)
                y.attach(outer);
                x = y;
            }
        }
        if (lastOnly && s > 1) {
            x = x.get(new NDIndex(":, {}:, :", s - 1)); // (B, 1, D)
        }
        NDArray h = norm.apply(x, constants.eps()); // (B, S', D)
        NDArray logits = Linear.linear(h, outputWeight().getArray()).head(); // (B, S', V)
        // Not toType: DJL 0.36's toType leaves the autograd graph, so FP16 training would get no gradients. Adding
        // an FP32 zero promotes FP16 to FP32 exactly and stays differentiable.
        return dtype == DataType.FLOAT32 ? logits : logits.add(upcast);
    }

    /** Full forward pass of right-padded sequences (positions 0..S-1, causal mask): (B, S, V) FLOAT32 logits. */
    public NDArray forward(NDArray ids) { // ids: (B, S)
        NDManager m = ids.getManager();
        long b = ids.getShape().get(0);
        int s = (int) ids.getShape().get(1);
        NDArray positions = m.arange(0, s, 1, DataType.INT64).expandDims(0).repeat(0, b); // (B, S)
        return forward(ids, positions, causalMask(m, s, dtype), null, 0, false);
    }

    /** (1, 1, 1, S, S) additive causal mask. */
    public static NDArray causalMask(NDManager m, int s, DataType dtype) {
        float[] mask = new float[s * s];
        for (int q = 0; q < s; q++) {
            for (int k = q + 1; k < s; k++) {
                mask[q * s + k] = maskValue(dtype);
            }
        }
        return m.create(mask, new Shape(1, 1, 1, s, s)).toType(dtype, false);
    }

    /** Large negative value that stays finite in the given dtype (fully masked rows must not become NaN). */
    public static float maskValue(DataType dtype) {
        return dtype == DataType.FLOAT16 ? -65000f : -1e9f;
    }

    private Parameter outputWeight() {
        return lmHead == null ? embed : lmHead;
    }

    /** Every trainable parameter by a stable name (fused projections keep their fused name). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        out.put("model.embed_tokens.weight", embed);
        for (int i = 0; i < layers.size(); i++) {
            DecoderLayer l = layers.get(i);
            String p = "model.layers." + i + ".";
            out.put(p + "input_layernorm.weight", l.inputNorm().weight());
            out.put(p + "self_attn.qkv_proj.weight", l.attention().qkv());
            if (l.attention().qkvBias() != null) {
                out.put(p + "self_attn.qkv_proj.bias", l.attention().qkvBias());
            }
            out.put(p + "self_attn.o_proj.weight", l.attention().out());
            out.put(p + "post_attention_layernorm.weight", l.postAttentionNorm().weight());
            out.put(p + "mlp.gate_up_proj.weight", l.mlp().gateUp());
            out.put(p + "mlp.down_proj.weight", l.mlp().down());
        }
        out.put("model.norm.weight", norm.weight());
        if (lmHead != null) {
            out.put("lm_head.weight", lmHead);
        }
        return out;
    }

    /** The Hugging Face tensor names and shapes this configuration needs. */
    public Map<String, Shape> hfShapes() {
        int d = config.hiddenSize();
        int dh = config.headDim();
        Map<String, Shape> out = new LinkedHashMap<>();
        out.put("model.embed_tokens.weight", new Shape(config.vocabSize(), d));
        for (int i = 0; i < config.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            out.put(p + "input_layernorm.weight", new Shape(d));
            out.put(p + "self_attn.q_proj.weight", new Shape((long) config.numHeads() * dh, d));
            out.put(p + "self_attn.k_proj.weight", new Shape((long) config.numKvHeads() * dh, d));
            out.put(p + "self_attn.v_proj.weight", new Shape((long) config.numKvHeads() * dh, d));
            if (config.attentionBias()) {
                out.put(p + "self_attn.q_proj.bias", new Shape((long) config.numHeads() * dh));
                out.put(p + "self_attn.k_proj.bias", new Shape((long) config.numKvHeads() * dh));
                out.put(p + "self_attn.v_proj.bias", new Shape((long) config.numKvHeads() * dh));
            }
            out.put(p + "self_attn.o_proj.weight", new Shape(d, (long) config.numHeads() * dh));
            out.put(p + "post_attention_layernorm.weight", new Shape(d));
            out.put(p + "mlp.gate_proj.weight", new Shape(config.intermediateSize(), d));
            out.put(p + "mlp.up_proj.weight", new Shape(config.intermediateSize(), d));
            out.put(p + "mlp.down_proj.weight", new Shape(d, config.intermediateSize()));
        }
        out.put("model.norm.weight", new Shape(d));
        if (!config.tieWordEmbeddings()) {
            out.put("lm_head.weight", new Shape(config.vocabSize(), d));
        }
        return out;
    }

    /**
     * Sets every weight from Hugging Face tensors (FLOAT32, any manager). On the first call the arrays become the
     * parameters; later calls copy into the existing arrays, so a rollout worker can swap weights between batches
     * while gradients and optimizer state stay attached to the same arrays.
     *
     * @throws IllegalArgumentException naming every missing tensor or wrong shape
     */
    public void loadHf(Map<String, NDArray> tensors) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Shape> e : hfShapes().entrySet()) {
            NDArray t = tensors.get(e.getKey());
            if (t == null) {
                problems.add("missing tensor " + e.getKey());
            } else if (!t.getShape().equals(e.getValue())) {
                problems.add("tensor " + e.getKey() + " has shape " + t.getShape() + ", expected " + e.getValue());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "checkpoint does not match " + config.architecture() + ": " + String.join("; ", problems));
        }
        for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
            // One sub-manager per weight, so loading a large model holds one weight's temporaries at a time.
            try (NDManager tmp = manager.newSubManager()) {
                String name = e.getKey();
                NDArray value; // a fresh array in tmp
                if (name.contains("qkv_proj")) {
                    String suffix = name.endsWith(".bias") ? "bias" : "weight";
                    String p = name.substring(0, name.indexOf("qkv_proj"));
                    value = fresh(
                            tmp,
                            tensors.get(p + "q_proj." + suffix),
                            tensors.get(p + "k_proj." + suffix),
                            tensors.get(p + "v_proj." + suffix));
                } else if (name.contains("gate_up_proj")) {
                    String p = name.substring(0, name.indexOf("gate_up_proj"));
                    value = fresh(tmp, tensors.get(p + "gate_proj.weight"), tensors.get(p + "up_proj.weight"));
                } else {
                    value = fresh(tmp, tensors.get(name));
                }
                if (value.getDataType() != dtype) {
                    value = value.toType(dtype, false);
                    value.attach(tmp);
                }
                assign(e.getValue(), value);
            }
        }
    }

    /** A new array on this device (never one of the caller's), concatenated along axis 0, living in {@code tmp}. */
    private static NDArray fresh(NDManager tmp, NDArray... parts) {
        NDArray out;
        if (parts.length == 1) {
            // toDevice/toType to the same device and type return an alias, and an alias of an array made from a Java
            // buffer does not keep that buffer alive: clone explicitly.
            NDArray p = parts[0];
            out = p.getDevice().equals(tmp.getDevice()) ? p.duplicate() : p.toDevice(tmp.getDevice(), false);
        } else {
            NDList moved = new NDList();
            for (NDArray p : parts) {
                NDArray onDevice = p.toDevice(tmp.getDevice(), false);
                if (onDevice != p) {
                    onDevice.attach(tmp);
                }
                moved.add(onDevice);
            }
            out = NDArrays.concat(moved, 0);
        }
        out.attach(tmp);
        return out;
    }

    /** Makes {@code value} (a fresh array) the parameter's array, or copies it into the existing one. */
    private void assign(Parameter parameter, NDArray value) {
        if (parameter.isInitialized()) {
            NDArray target = parameter.getArray();
            if (!target.getShape().equals(value.getShape())) {
                throw new IllegalArgumentException(
                        parameter.getName() + ": shape " + value.getShape() + " != " + target.getShape());
            }
            target.set(value.toByteBuffer());
        } else {
            value.attach(manager);
            parameter.setArray(value);
        }
    }

    /**
     * The weights as FLOAT32 tensors under Hugging Face names (fused projections split), in {@code target}. Tied
     * models write no {@code lm_head.weight}, as transformers does.
     */
    public Map<String, NDArray> hfTensors(NDManager target) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        int qRows = config.numHeads() * config.headDim();
        int kvRows = config.numKvHeads() * config.headDim();
        for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) {
            String name = e.getKey();
            NDArray value = e.getValue().getArray().toType(DataType.FLOAT32, true);
            value.attach(target);
            if (name.contains("qkv_proj")) {
                String suffix = name.endsWith(".bias") ? "bias" : "weight";
                String p = name.substring(0, name.indexOf("qkv_proj"));
                NDList parts = value.split(new long[] {qRows, qRows + kvRows}, 0);
                out.put(p + "q_proj." + suffix, parts.get(0));
                out.put(p + "k_proj." + suffix, parts.get(1));
                out.put(p + "v_proj." + suffix, parts.get(2));
            } else if (name.contains("gate_up_proj")) {
                String p = name.substring(0, name.indexOf("gate_up_proj"));
                NDList parts = value.split(2, 0);
                out.put(p + "gate_proj.weight", parts.get(0));
                out.put(p + "up_proj.weight", parts.get(1));
            } else {
                out.put(name, value);
            }
        }
        return out;
    }

    /** Parameter count (tied embeddings counted once). */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            n += p.getArray().size();
        }
        return n;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(inputs.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.vocabSize())};
    }

    @Override
    public void close() {
        manager.close();
    }
}
