package dev.exitrl.taskapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The policy mask and truncation flag travel as JSON, and records without them (older workers) still read. */
class RolloutRecordJsonTest {
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void maskAndTruncationRoundTrip() {
        var r = new RolloutRecord(
                "a",
                1.0,
                1.0,
                null,
                null,
                new long[] {5, 6, 7},
                new float[] {-0.5f, 0f, -0.25f},
                null,
                new boolean[] {true, false, true},
                true);
        RolloutRecord back = json.readValue(json.writeValueAsString(r), RolloutRecord.class);
        assertThat(back.policyMask()).containsExactly(true, false, true);
        assertThat(back.isPolicyToken(1)).isFalse();
        assertThat(back.isPolicyToken(2)).isTrue();
        assertThat(back.isTruncated()).isTrue();
        assertThat(back.tokenIds()).containsExactly(5, 6, 7);
    }

    @Test
    void aRecordWithoutTheNewFieldsReadsAsAllPolicyTokensNotTruncated() {
        RolloutRecord old = json.readValue(
                "{\"response\":\"a\",\"quality\":0.5,\"reward\":0.5,\"tokenIds\":[1,2],\"logProbs\":[-1,-2]}",
                RolloutRecord.class);
        assertThat(old.policyMask()).isNull();
        assertThat(old.truncated()).isNull();
        assertThat(old.isPolicyToken(0)).isTrue();
        assertThat(old.isTruncated()).isFalse();
    }
}
