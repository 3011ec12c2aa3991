package dev.exitrl.trainer;

import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.core.experiment.ExperimentRequests;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Configurations for trainer tests: tiny models, CPU, short warm-starts. */
public final class TestSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestSupport() {}

    /** Trainer settings over {@code dir} on the CPU with the given warm-start. */
    public static TrainerProperties properties(Path dir, TrainerProperties.WarmStart warmStart) {
        return new TrainerProperties(
                URI.create("http://localhost:1"),
                dir,
                "cpu",
                URI.create("http://trainer.test"),
                5,
                Duration.ofMillis(50),
                false,
                600,
                8,
                0.0,
                1.0,
                "fp32",
                warmStart);
    }

    /** The warm-start the trainer runs by default ({@code exit.trainer.warm-start.*} defaults). */
    public static TrainerProperties.WarmStart defaultWarmStart() {
        return new TrainerProperties.WarmStart(300, 8, 0.005, 2000);
    }

    /** A short warm-start for tests that only need one to have happened. */
    public static TrainerProperties properties(Path dir) {
        return properties(dir, new TrainerProperties.WarmStart(3, 4, 0.003, 16));
    }

    /**
     * An experiment config as the task space resolves it: {@code json} holds the fields that differ from the
     * domain's defaults (domain and preset included).
     */
    public static ExperimentConfig config(String json) {
        ExperimentRequests.Result r = ExperimentRequests.read(JSON, JSON.readTree(json));
        if (!r.isValid()) {
            throw new IllegalArgumentException(r.violations().toString());
        }
        return r.config();
    }

    /**
     * {@code config} with {@code warmStart} set (through JSON: exit-core's request reader has no type rule for this
     * Boolean yet).
     */
    public static ExperimentConfig withWarmStart(ExperimentConfig config, Boolean warmStart) {
        ObjectNode tree = JSON.valueToTree(config);
        tree.put("warmStart", warmStart);
        return JSON.treeToValue(tree, ExperimentConfig.class);
    }

    /** Countdown on the tiny preset, GRPO with a learning rate a tiny model moves with. */
    public static ExperimentConfig tinyCountdown(long seed) {
        return config("{\"domain\":\"countdown\",\"preset\":\"exit\",\"model\":\"tiny\",\"seed\":" + seed
                + ",\"learningRate\":0.001,\"rolloutsPerPrompt\":4,\"promptsPerBatch\":2}");
    }
}
