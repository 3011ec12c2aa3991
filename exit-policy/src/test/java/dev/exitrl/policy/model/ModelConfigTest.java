package dev.exitrl.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.exitrl.policy.Fixtures;
import dev.exitrl.policy.checkpoint.HfCheckpoint;
import dev.exitrl.policy.checkpoint.Safetensors;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ModelConfigTest {

    static ModelConfig parse(String json) {
        return ModelConfig.parse(JsonMapper.builder().build().readTree(json));
    }

    static final String BASE = """
        {"architectures": ["%s"], "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2,
         "intermediate_size": 160, "num_hidden_layers": 2, "vocab_size": 320 %s}""";

    @Test
    void ropeThetaFromEitherPlace() {
        assertThat(parse(BASE.formatted("LlamaForCausalLM", ", \"rope_theta\": 500000.0"))
                        .ropeTheta())
                .isEqualTo(500000.0);
        assertThat(parse(BASE.formatted(
                                "LlamaForCausalLM",
                                ", \"rope_parameters\": {\"rope_theta\": 1000000.0, \"rope_type\": \"default\"}"))
                        .ropeTheta())
                .isEqualTo(1e6);
        ModelConfig qwen = parse(BASE.formatted("Qwen2ForCausalLM", ""));
        assertThat(qwen.attentionBias()).isTrue();
        assertThat(qwen.headDim()).isEqualTo(16);
        assertThat(qwen.groups()).isEqualTo(2);
    }

    @Test
    void unknownArchitecturesAndBadShapesAreClearErrors() {
        assertThatThrownBy(() -> parse(BASE.formatted("MistralForCausalLM", "")))
                .hasMessageContaining("architecture: unsupported 'MistralForCausalLM'");
        assertThatThrownBy(() -> parse(BASE.formatted("LlamaForCausalLM", ", \"num_key_value_heads\": 3")))
                .isInstanceOf(Exception.class);
        assertThatThrownBy(() -> parse("{\"architectures\": [\"LlamaForCausalLM\"]}"))
                .hasMessageContaining("hidden_size");
        assertThatThrownBy(() -> parse(BASE.formatted(
                        "LlamaForCausalLM", ", \"rope_parameters\": {\"rope_theta\": 1.0, \"rope_type\": \"yarn\"}")))
                .hasMessageContaining("yarn");
    }

    @Test
    void missingTensorsAreNamed() throws Exception {
        Path dir = Fixtures.hfTiny().resolve("llama");
        ModelConfig config = ModelConfig.read(dir);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> tensors = Safetensors.read(dir.resolve(HfCheckpoint.WEIGHTS), m);
            tensors.remove("model.layers.1.mlp.up_proj.weight");
            tensors.remove("lm_head.weight");
            assertThatThrownBy(() -> CausalLm.fromHf(config, tensors, Device.cpu(), DataType.FLOAT32))
                    .hasMessageContaining("missing tensor model.layers.1.mlp.up_proj.weight")
                    .hasMessageContaining("missing tensor lm_head.weight");
        }
    }
}
