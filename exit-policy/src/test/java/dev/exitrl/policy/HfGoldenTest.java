package dev.exitrl.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every case of the transformers-made golden files: encoding, logits, token log-probs, greedy continuation. */
class HfGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void matchesTransformers(String name) throws Exception {
        Path dir = Fixtures.hfTiny().resolve(name);
        JsonNode golden = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("golden.json")));
        try (Policy policy = Policy.load(dir, Device.cpu(), DataType.FLOAT32)) {
            assertThat(golden.get("cases").size()).isGreaterThan(0);
            for (JsonNode c : golden.get("cases")) {
                String text = c.get("text").asString();
                long[] ids = policy.tokenizer().encode(text);
                assertThat(ids).as("input_ids of %s", text).containsExactly(longs(c.get("input_ids")));

                float[][] logits = policy.logits(ids);
                double maxErr = 0;
                for (int i = 0; i < ids.length; i++) {
                    JsonNode row = c.get("logits").get(i);
                    assertThat(logits[i]).hasSize(row.size());
                    for (int v = 0; v < row.size(); v++) {
                        maxErr = Math.max(
                                maxErr, Math.abs(logits[i][v] - row.get(v).asDouble()));
                    }
                }
                assertThat(maxErr).as("max abs logit error for %s", text).isLessThanOrEqualTo(1e-4);

                long[] prompt = {ids[0]};
                long[] response = Arrays.copyOfRange(ids, 1, ids.length);
                float[] lp =
                        policy.tokenLogProbs(List.of(prompt), List.of(response)).get(0);
                JsonNode expected = c.get("token_logprobs");
                assertThat(lp).hasSize(expected.size());
                for (int i = 0; i < lp.length; i++) {
                    assertThat((double) lp[i])
                            .as("token_logprob %d of %s", i, text)
                            .isCloseTo(expected.get(i).asDouble(), Offset.offset(1e-4));
                }

                // The fixture's continuations were generated from the text's encoding without special tokens (no BOS):
                // all six cases match that input exactly and none matches the BOS-prefixed one.
                long[] greedyExpected = longs(c.get("greedy_continuation"));
                long[] plain = policy.tokenizer().encodePlain(text);
                assertThat(plain).containsExactly(Arrays.copyOfRange(ids, 1, ids.length));
                Generation g = policy.generateIds(
                                List.of(plain),
                                SamplingParams.greedy(greedyExpected.length).withStopAtEos(false))
                        .get(0);
                assertThat(g.tokenIds()).as("greedy continuation of %s", text).containsExactly(greedyExpected);
            }
        }
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
