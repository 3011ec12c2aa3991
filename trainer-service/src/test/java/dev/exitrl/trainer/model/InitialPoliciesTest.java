package dev.exitrl.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.policy.tokenizer.PolicyTokenizer;
import dev.exitrl.trainer.TestSupport;
import dev.exitrl.trainer.TrainerProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitialPoliciesTest {

    @TempDir
    Path dir;

    @Test
    void modelThatIsNeitherAPresetNorACheckpointDirectoryIsRefusedNamingConfigModel() throws Exception {
        assertThatThrownBy(() -> ModelSource.parse("no such model"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("config.model: 'no such model' is neither a preset");
        Path partial = Files.createDirectories(dir.resolve("partial"));
        Files.writeString(partial.resolve("config.json"), "{}");
        assertThatThrownBy(() -> ModelSource.parse(partial.toString()))
                .hasMessageStartingWith("config.model:")
                .hasMessageContaining("model.safetensors")
                .hasMessageContaining("tokenizer.json");
        assertThat(ModelSource.parse("tiny")).isEqualTo(new ModelSource.Preset("tiny"));
    }

    @Test
    void warmStartIsOnForPresetsAndOffForCheckpointsUnlessTheConfigSays() {
        ModelSource tiny = new ModelSource.Preset("tiny");
        ModelSource hf = new ModelSource.HfDirectory("dir", dir);
        String base = "{\"domain\":\"countdown\",\"preset\":\"exit\",\"model\":\"tiny\"";
        ExperimentConfig unset = TestSupport.config(base + "}");
        ExperimentConfig off = TestSupport.withWarmStart(unset, false);
        ExperimentConfig on = TestSupport.withWarmStart(unset, true);
        assertThat(InitialPolicies.warmStart(unset, tiny)).isTrue();
        assertThat(InitialPolicies.warmStart(unset, hf)).isFalse();
        assertThat(InitialPolicies.warmStart(off, tiny)).isFalse();
        assertThat(InitialPolicies.warmStart(on, hf)).isTrue();
    }

    @Test
    void presetVersionZeroIsWarmStartedOnceAndSharedByEveryPresetOfAComparison() throws Exception {
        TrainerProperties props = TestSupport.properties(dir);
        ExperimentConfig exit =
                TestSupport.config("{\"domain\":\"countdown\",\"preset\":\"exit\",\"model\":\"tiny\",\"seed\":1}");
        ExperimentConfig grpo =
                TestSupport.config("{\"domain\":\"countdown\",\"preset\":\"grpo\",\"model\":\"tiny\",\"seed\":1}");

        Path first = new InitialPolicies(props).versionZero(exit);
        assertThat(first).startsWith(dir.resolve("warmstart"));
        assertThat(first.getFileName().toString()).startsWith("tiny-countdown-seed1-warm-");
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "warmstart.json"}) {
            assertThat(first.resolve(f)).exists();
        }
        String report = Files.readString(first.resolve("warmstart.json"));
        double firstLoss = Double.parseDouble(report.replaceAll(".*\"firstLoss\": ([0-9.]+).*\\s*", "$1"));
        double lastLoss = Double.parseDouble(report.replaceAll(".*\"lastLoss\": ([0-9.]+).*\\s*", "$1"));
        assertThat(lastLoss).as(report).isLessThan(firstLoss);
        byte[] weights = Files.readAllBytes(first.resolve("model.safetensors"));
        FileTime written = Files.getLastModifiedTime(first.resolve("model.safetensors"));

        // Another preset of the same comparison (another service instance, even) gets the same bytes, not a re-run.
        Path second = new InitialPolicies(props).versionZero(grpo);
        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second.resolve("model.safetensors")))
                .isEqualTo(written);
        assertThat(Arrays.equals(Files.readAllBytes(second.resolve("model.safetensors")), weights))
                .isTrue();

        // The character vocabulary covers printable ASCII besides the domain's text.
        try (PolicyTokenizer tok = PolicyTokenizer.load(first)) {
            for (long id : tok.encodePlain("~{|}` AZaz09\n")) {
                assertThat(id).isNotEqualTo(3L); // <|unk|>
            }
        }

        // The key changes with the seed and with the warm-start settings.
        InitialPolicies initial = new InitialPolicies(props);
        var countdown = DomainRegistry.standard().get("countdown");
        ModelSource tiny = new ModelSource.Preset("tiny");
        String key = initial.cacheKey(exit, tiny, countdown, true);
        assertThat(initial.cacheKey(grpo, tiny, countdown, true)).isEqualTo(key);
        assertThat(initial.cacheKey(TestSupport.tinyCountdown(2), tiny, countdown, true))
                .isNotEqualTo(key);
        assertThat(new InitialPolicies(TestSupport.properties(dir, new TrainerProperties.WarmStart(4, 4, 0.003, 16)))
                        .cacheKey(exit, tiny, countdown, true))
                .isNotEqualTo(key);
        assertThat(initial.cacheKey(exit, tiny, countdown, false)).isNotEqualTo(key);
    }

    @Test
    void checkpointDirectoryWithoutWarmStartIsVersionZeroAsIs() throws Exception {
        Path hf = hfTinyQwen2();
        ExperimentConfig config =
                TestSupport.config("{\"domain\":\"countdown\",\"preset\":\"exit\",\"model\":\"" + hf + "\"}");
        assertThat(new InitialPolicies(TestSupport.properties(dir)).versionZero(config))
                .isEqualTo(hf.toAbsolutePath().normalize());
        assertThat(dir.resolve("warmstart")).doesNotExist();
    }

    static Path hfTinyQwen2() {
        String explicit = System.getProperty("EXIT_FIXTURES", System.getenv("EXIT_FIXTURES"));
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return (Files.isDirectory(p.resolve("hf-tiny")) ? p.resolve("hf-tiny") : p).resolve("qwen2");
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared/fixtures/hf-tiny/qwen2");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/fixtures/hf-tiny not found; set EXIT_FIXTURES");
    }
}
