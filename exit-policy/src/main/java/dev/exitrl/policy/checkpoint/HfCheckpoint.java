package dev.exitrl.policy.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Hugging Face checkpoint directories: {@code config.json} + {@code model.safetensors}. */
public final class HfCheckpoint {

    public static final String WEIGHTS = "model.safetensors";

    private HfCheckpoint() {}

    /** Reads config and weights from {@code dir} into a new model on {@code device}. */
    public static CausalLm load(Path dir, Device device, DataType dtype) throws IOException {
        ModelConfig config = ModelConfig.read(dir);
        try (NDManager tmp = NDManager.newBaseManager(Device.cpu())) {
            return CausalLm.fromHf(config, readWeights(dir, tmp), device, dtype);
        }
    }

    /** Copies the weights stored in {@code dir} into an existing model (same shapes), e.g. a new policy version. */
    public static void loadWeightsInto(CausalLm model, Path dir) throws IOException {
        try (NDManager tmp = NDManager.newBaseManager(Device.cpu())) {
            model.loadHf(readWeights(dir, tmp));
        }
    }

    static Map<String, NDArray> readWeights(Path dir, NDManager tmp) throws IOException {
        Path file = dir.resolve(WEIGHTS);
        if (!Files.exists(file)) {
            if (Files.exists(dir.resolve("model.safetensors.index.json"))) {
                throw new IOException("sharded checkpoints (model.safetensors.index.json) are not supported: " + dir);
            }
            throw new IOException(WEIGHTS + " missing in " + dir);
        }
        return Safetensors.read(file, tmp);
    }

    /** Writes {@code config.json} and {@code model.safetensors} (FLOAT32, HF tensor names) into {@code dir}. */
    public static void save(CausalLm model, Path dir) throws IOException {
        Files.createDirectories(dir);
        model.config().write(dir);
        try (NDManager tmp = NDManager.newBaseManager(Device.cpu())) {
            Safetensors.write(dir.resolve(WEIGHTS), model.hfTensors(tmp), Map.of("format", "pt"));
        }
    }
}
