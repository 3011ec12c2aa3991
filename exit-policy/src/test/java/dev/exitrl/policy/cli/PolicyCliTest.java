package dev.exitrl.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.policy.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PolicyCliTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PolicyCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void inspectMatchesGolden() throws Exception {
        Path dir = Fixtures.hfTiny().resolve("llama");
        JsonNode golden = JSON.readTree(Files.readString(dir.resolve("golden.json")))
                .get("cases")
                .get(0);
        Result r = run(
                "inspect",
                "--model",
                dir.toString(),
                "--text",
                golden.get("text").asString(),
                "--max-new-tokens",
                "5");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = JSON.readTree(r.out());
        assertThat(json.get("input_ids")).isEqualTo(golden.get("input_ids"));
        assertThat(json.get("logits").size()).isEqualTo(golden.get("logits").size());
        for (int i = 0; i < json.get("logits").size(); i++) {
            for (int v = 0; v < json.get("logits").get(i).size(); v++) {
                assertThat(json.get("logits").get(i).get(v).asDouble())
                        .isCloseTo(golden.get("logits").get(i).get(v).asDouble(), Offset.offset(1e-4));
            }
        }
        for (int i = 0; i < golden.get("token_logprobs").size(); i++) {
            assertThat(json.get("token_logprobs").get(i).asDouble())
                    .isCloseTo(golden.get("token_logprobs").get(i).asDouble(), Offset.offset(1e-4));
        }
        assertThat(json.get("greedy_continuation").size()).isEqualTo(5);
    }

    @Test
    void benchPrintsThroughputForAConfig() throws Exception {
        Path config = Fixtures.hfTiny().resolve("qwen2/config.json");
        Result r = run(
                "bench",
                "--config",
                config.toString(),
                "--device",
                "cpu",
                "--batch",
                "4",
                "--prompt-len",
                "8",
                "--new-tokens",
                "8",
                "--mode",
                "both");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = JSON.readTree(r.out());
        assertThat(json.get("cache_tokens_per_s").asDouble()).isPositive();
        assertThat(json.get("recompute_tokens_per_s").asDouble()).isPositive();
        assertThat(json.get("parameters").asLong()).isPositive();

        Result t = run(
                "bench-train",
                "--config",
                config.toString(),
                "--device",
                "cpu",
                "--batch",
                "4",
                "--seq-len",
                "16",
                "--steps",
                "1");
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(JSON.readTree(t.out()).get("tokens_per_s").asDouble()).isPositive();
    }

    @Test
    void badUsageIsAClearErrorNotAStackTrace() {
        Result r = run("bench", "--config", "/nonexistent", "--batch", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("error:").doesNotContain("Exception");
        Result unknown = run("frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'frobnicate'");
        Result device = run(
                "inspect", "--model", Fixtures.hfTiny().resolve("llama").toString(), "--text", "x", "--device", "tpu");
        assertThat(device.err()).contains("device: 'tpu' is not one of auto, cpu, gpu");
    }
}
