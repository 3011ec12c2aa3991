package dev.exitrl.policy.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shape of a Llama / Qwen2 family decoder, as Hugging Face writes it in {@code config.json}.
 *
 * @param architecture {@code LlamaForCausalLM} or {@code Qwen2ForCausalLM}
 * @param vocabSize V, rows of the token embedding
 * @param hiddenSize D, width of the residual stream
 * @param intermediateSize F, width of the SwiGLU hidden layer
 * @param numLayers L, decoder layers
 * @param numHeads H, query heads
 * @param numKvHeads Hkv, key/value heads (grouped-query attention: H is a multiple of Hkv)
 * @param headDim Dh, width of one head (usually D / H)
 * @param ropeTheta base of the rotary position embedding frequencies
 * @param rmsNormEps epsilon inside the RMSNorm square root
 * @param attentionBias whether q/k/v projections carry a bias (Qwen2: yes; o_proj never does)
 * @param tieWordEmbeddings whether the output projection reuses the token embedding
 * @param maxPositionEmbeddings longest sequence the rotary table is built for
 * @param bosTokenId begin-of-sequence id (or -1)
 * @param eosTokenId end-of-sequence id (or -1)
 * @param padTokenId padding id (or -1: the sampler then pads with EOS or 0)
 */
public record ModelConfig(
        String architecture,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        double ropeTheta,
        double rmsNormEps,
        boolean attentionBias,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings,
        int bosTokenId,
        int eosTokenId,
        int padTokenId) {

    public static final String LLAMA = "LlamaForCausalLM";
    public static final String QWEN2 = "Qwen2ForCausalLM";
    static final List<String> SUPPORTED = List.of(LLAMA, QWEN2);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public ModelConfig {
        if (!SUPPORTED.contains(architecture)) {
            throw new IllegalArgumentException(
                    "architecture: unsupported '" + architecture + "', supported are " + SUPPORTED);
        }
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("head_dim", headDim);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads
                    + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, got " + headDim);
        }
        if (!(ropeTheta > 0) || !(rmsNormEps > 0)) {
            throw new IllegalArgumentException("rope_theta and rms_norm_eps must be > 0");
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + value);
        }
    }

    /** Heads that share one key/value head. */
    public int groups() {
        return numHeads / numKvHeads;
    }

    /** Rows of the fused q/k/v projection: (H + 2 Hkv) * Dh. */
    int qkvRows() {
        return (numHeads + 2 * numKvHeads) * headDim;
    }

    /** Reads {@code config.json} from a checkpoint directory. */
    public static ModelConfig read(Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        if (!Files.exists(file)) {
            throw new IOException("config.json missing in " + dir);
        }
        return parse(JSON.readTree(Files.readString(file)));
    }

    /** Parses a Hugging Face config; theta from top-level {@code rope_theta} or {@code rope_parameters.rope_theta}. */
    public static ModelConfig parse(JsonNode n) {
        String arch = n.path("architectures").path(0).asString(null);
        if (arch == null) {
            String type = n.path("model_type").asString("");
            arch = switch (type) {
                case "llama" -> LLAMA;
                case "qwen2" -> QWEN2;
                default ->
                    throw new IllegalArgumentException(
                            "architectures: missing and model_type '" + type + "' is not one of llama, qwen2");
            };
        }
        int hidden = required(n, "hidden_size");
        int heads = required(n, "num_attention_heads");
        double theta = n.has("rope_theta")
                ? n.get("rope_theta").asDouble()
                : n.path("rope_parameters").path("rope_theta").asDouble(10000.0);
        String ropeType = n.path("rope_parameters").path("rope_type").asString("default");
        if (!ropeType.equals("default")
                || (n.has("rope_scaling") && !n.get("rope_scaling").isNull())) {
            throw new IllegalArgumentException("rope scaling '" + ropeType + "' is not supported (only 'default')");
        }
        if (n.path("use_sliding_window").asBoolean(false)) {
            throw new IllegalArgumentException("use_sliding_window=true is not supported");
        }
        boolean bias = arch.equals(QWEN2) || n.path("attention_bias").asBoolean(false);
        if (n.path("mlp_bias").asBoolean(false)) {
            throw new IllegalArgumentException("mlp_bias=true is not supported");
        }
        return new ModelConfig(
                arch,
                required(n, "vocab_size"),
                hidden,
                required(n, "intermediate_size"),
                required(n, "num_hidden_layers"),
                heads,
                n.path("num_key_value_heads").asInt(heads),
                n.has("head_dim") && !n.get("head_dim").isNull()
                        ? n.get("head_dim").asInt()
                        : hidden / heads,
                theta,
                n.path("rms_norm_eps").asDouble(1e-6),
                bias,
                n.path("tie_word_embeddings").asBoolean(arch.equals(QWEN2)),
                n.path("max_position_embeddings").asInt(2048),
                tokenId(n.get("bos_token_id")),
                tokenId(n.get("eos_token_id")),
                tokenId(n.get("pad_token_id")));
    }

    private static int required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("config.json: missing or non-numeric '" + field + "'");
        }
        return v.asInt();
    }

    private static int tokenId(JsonNode v) {
        if (v == null || v.isNull()) {
            return -1;
        }
        return v.isArray() ? v.path(0).asInt(-1) : v.asInt(-1);
    }

    /** The {@code config.json} that Hugging Face transformers would read back to the same model. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of(architecture));
        m.put("model_type", architecture.equals(LLAMA) ? "llama" : "qwen2");
        m.put("vocab_size", vocabSize);
        m.put("hidden_size", hiddenSize);
        m.put("intermediate_size", intermediateSize);
        m.put("num_hidden_layers", numLayers);
        m.put("num_attention_heads", numHeads);
        m.put("num_key_value_heads", numKvHeads);
        m.put("head_dim", headDim);
        m.put("hidden_act", "silu");
        m.put("rms_norm_eps", rmsNormEps);
        m.put("rope_theta", ropeTheta);
        m.put("rope_parameters", Map.of("rope_theta", ropeTheta, "rope_type", "default"));
        if (architecture.equals(LLAMA)) {
            m.put("attention_bias", attentionBias);
            m.put("mlp_bias", false);
        }
        m.put("tie_word_embeddings", tieWordEmbeddings);
        m.put("max_position_embeddings", maxPositionEmbeddings);
        m.put("bos_token_id", bosTokenId < 0 ? null : bosTokenId);
        m.put("eos_token_id", eosTokenId < 0 ? null : eosTokenId);
        m.put("pad_token_id", padTokenId < 0 ? null : padTokenId);
        m.put("torch_dtype", "float32");
        return m;
    }

    /** Writes {@code config.json} into a directory. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("config.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()));
    }

    /** The same shape with a rotary table of at least {@code positions} positions (never shorter). */
    public ModelConfig withAtLeastPositions(int positions) {
        return new ModelConfig(
                architecture,
                vocabSize,
                hiddenSize,
                intermediateSize,
                numLayers,
                numHeads,
                numKvHeads,
                headDim,
                ropeTheta,
                rmsNormEps,
                attentionBias,
                tieWordEmbeddings,
                Math.max(positions, maxPositionEmbeddings),
                bosTokenId,
                eosTokenId,
                padTokenId);
    }

    /**
     * From-scratch presets. {@code tiny}: 2 layers, width 64, for CPU tests. {@code small}: 8 layers, width 512
     * (about 25M parameters plus the embedding), for a GPU.
     */
    public static ModelConfig preset(String name, int vocabSize, int bos, int eos, int pad) {
        return switch (name) {
            case "tiny" ->
                new ModelConfig(QWEN2, vocabSize, 64, 176, 2, 4, 2, 16, 10000, 1e-6, true, true, 512, bos, eos, pad);
            case "small" ->
                new ModelConfig(QWEN2, vocabSize, 512, 1408, 8, 8, 4, 64, 10000, 1e-6, true, true, 2048, bos, eos, pad);
            default -> throw new IllegalArgumentException("preset: unknown '" + name + "', allowed are tiny, small");
        };
    }
}
