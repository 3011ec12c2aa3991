package dev.exitrl.task.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Buffer statistics, top items and lineages on a crafted task space:
 * <pre>
 * task 1:  r (d0, 0.05, not buffered)
 *          +- c1 (d1, 0.24)   +- g1 (d2, 0.03)  +- gg1 (d3, 0.25)
 *          |                  +- g2 (d2, 0.30)
 *          +- c2 (d1, 0.11)
 * task 2:  r2 (d0, 0.00)      +- r3 (d1, 0.11)
 * </pre>
 * Buffered in the order c1, c2, g1, g2, gg1, r2, r3 (all but r). No score sits on a bin edge inside the range.
 */
class BufferViewsApiTest extends TaskSpaceApiTest {
    UUID experiment;
    long r, c1, c2, g1, g2, gg1, r2, r3;

    @BeforeEach
    void craftedTaskSpace() {
        experiment = createExperiment(64);
        long task1 = insertBaseTask(experiment, "t1", "TRAIN");
        long task2 = insertBaseTask(experiment, "t2", "TRAIN");
        r = insertInstance(experiment, task1, null, 0, 0.05, 0.0, false, "SOLVE", "{\"turns\":[]}");
        c1 = insertInstance(experiment, task1, r, 1, 0.24, 0.5, true, "SOLVE", "{\"turns\":[{\"latest\":\"c1\"}]}");
        c2 = insertInstance(experiment, task1, r, 1, 0.11, 1.0, true, "SOLVE", "{\"turns\":[{\"latest\":\"c2\"}]}");
        g1 = insertInstance(experiment, task1, c1, 2, 0.03, 0.0, true, "IMPROVE", "{\"turns\":[{\"latest\":\"g1\"}]}");
        g2 = insertInstance(experiment, task1, c1, 2, 0.30, null, true, "DIVERGE", "{\"turns\":[{\"latest\":\"g2\"}]}");
        gg1 = insertInstance(
                experiment, task1, g1, 3, 0.25, 1.0, true, "IMPROVE", "{\"turns\":[{\"latest\":\"gg1\"}]}");
        r2 = insertInstance(experiment, task2, null, 0, 0.0, 0.0, true, null, "{\"turns\":[]}");
        r3 = insertInstance(experiment, task2, r2, 1, 0.11, 0.0, true, "SOLVE", "{\"turns\":[{\"latest\":\"r3\"}]}");
    }

    @Test
    void statsSummariseTheBuffer() {
        // Leases: version 0 served r and r2 (depth 0, 0); version 1 served c1, g1 and r (depth 1, 2, 0).
        insertLease(experiment, 0, "COMPLETED", "1 minute", r, r2);
        insertLease(experiment, 1, "ACTIVE", "1 minute", c1, g1, r);

        JsonNode stats = get("/api/experiments/" + experiment + "/buffer/stats").json();
        assertThat(stats.get("size").asLong()).isEqualTo(7);
        assertThat(stats.get("capacity").asInt()).isEqualTo(64);
        assertThat(stats.get("minScore").asDouble()).isEqualTo(0.0);
        assertThat(stats.get("maxScore").asDouble()).isEqualTo(0.30);
        assertThat(stats.get("meanScore").asDouble())
                .isCloseTo((0.24 + 0.11 + 0.03 + 0.30 + 0.25 + 0.0 + 0.11) / 7, within(1e-12));
        assertThat(stats.get("totalInstances").asLong()).isEqualTo(8);

        // Bins of width 0.025: 0.0 -> 0, 0.03 -> 1, 0.11 (x2) -> 4, 0.24 -> 9, and 0.25, 0.30 (the top and
        // above it) -> 9 as well.
        JsonNode bins = stats.get("scoreHistogram");
        assertThat(bins.size()).isEqualTo(10);
        assertThat(counts(bins)).containsExactly(1L, 1L, 0L, 0L, 2L, 0L, 0L, 0L, 0L, 3L);
        assertThat(bins.get(4).get("lower").asDouble()).isCloseTo(0.1, within(1e-12));
        assertThat(bins.get(9).get("upper").asDouble()).isEqualTo(0.25);

        JsonNode depths = stats.get("depthHistogram");
        assertThat(depths.size()).isEqualTo(4);
        assertThat(depths.get(0).get("depth").asInt()).isZero();
        assertThat(counts(depths)).containsExactly(1L, 3L, 2L, 1L); // r2; c1 c2 r3; g1 g2; gg1
        assertThat(stats.get("meanDepth").asDouble()).isCloseTo((0 + 1 + 1 + 1 + 2 + 2 + 3) / 7.0, within(1e-12));

        JsonNode sampled = stats.get("sampledDepth");
        assertThat(sampled.size()).isEqualTo(2);
        assertThat(sampled.get(0).get("policyVersion").asLong()).isZero();
        assertThat(sampled.get(0).get("count").asLong()).isEqualTo(2);
        assertThat(sampled.get(0).get("meanDepth").asDouble()).isZero();
        assertThat(sampled.get(1).get("policyVersion").asLong()).isEqualTo(1);
        assertThat(sampled.get(1).get("count").asLong()).isEqualTo(3);
        assertThat(sampled.get(1).get("meanDepth").asDouble()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void emptyBufferHasNoScores() {
        UUID empty = createExperiment(8);
        JsonNode stats = get("/api/experiments/" + empty + "/buffer/stats").json();
        assertThat(stats.get("size").asLong()).isZero();
        assertThat(stats.get("capacity").asInt()).isEqualTo(8);
        assertThat(stats.get("meanScore").isNull()).isTrue();
        assertThat(counts(stats.get("scoreHistogram"))).containsOnly(0L);
    }

    @Test
    void topIsByScoreThenOldestInsertion() {
        JsonNode top =
                get("/api/experiments/" + experiment + "/buffer/top?limit=5").json();
        // c2 and r3 share 0.11; c2 entered the buffer first.
        assertThat(ids(top)).containsExactly(g2, gg1, c1, c2, r3);
        JsonNode first = top.get(0);
        assertThat(first.get("depth").asInt()).isEqualTo(2);
        assertThat(first.get("createdBy").asString()).isEqualTo("DIVERGE");
        assertThat(first.get("quality").isNull()).isTrue();
        assertThat(first.get("taskKey").asString()).isEqualTo("t1");
        assertThat(first.get("history").get("turns").get(0).get("latest").asString())
                .isEqualTo("g2");

        assertThat(ids(get("/api/experiments/" + experiment + "/buffer/top").json()))
                .as("default limit 20 returns the whole buffer")
                .containsExactly(g2, gg1, c1, c2, r3, g1, r2);
    }

    @Test
    void topLimitIsValidated() {
        for (String limit : List.of("0", "501")) {
            var response = get("/api/experiments/" + experiment + "/buffer/top?limit=" + limit);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asString())
                    .isEqualTo("limit");
        }
    }

    @Test
    void lineageWalksUpAndDown() {
        JsonNode ofG1 = get("/api/experiments/" + experiment + "/instances/" + g1 + "/lineage")
                .json();
        assertThat(ofG1.get("instance").get("id").asLong()).isEqualTo(g1);
        assertThat(ofG1.get("instance").get("parentId").asLong()).isEqualTo(c1);
        assertThat(ids(ofG1.get("ancestors"))).containsExactly(r, c1);
        assertThat(ids(ofG1.get("descendants"))).containsExactly(gg1);
        assertThat(ofG1.get("ancestors").get(0).get("inBuffer").asBoolean()).isFalse();
        assertThat(ofG1.get("ancestors").get(0).get("parentId").isNull()).isTrue();

        JsonNode ofRoot = get("/api/experiments/" + experiment + "/instances/" + r + "/lineage")
                .json();
        assertThat(ids(ofRoot.get("ancestors"))).isEmpty();
        assertThat(ids(ofRoot.get("descendants"))).containsExactly(c1, c2, g1, g2, gg1);
        assertThat(ofRoot.get("descendantsTruncated").asBoolean()).isFalse();

        JsonNode capped = get("/api/experiments/" + experiment + "/instances/" + r + "/lineage?maxDescendants=3")
                .json();
        List<Long> cappedIds = ids(capped.get("descendants"));
        assertThat(cappedIds).hasSize(3);
        assertThat(cappedIds.subList(0, 2))
                .as("breadth-first: the first generation is complete")
                .containsExactly(c1, c2);
        assertThat(cappedIds.get(2)).isIn(g1, g2);
        assertThat(capped.get("descendantsTruncated").asBoolean()).isTrue();
    }

    @Test
    void unknownExperimentOrInstanceIsNotFound() {
        UUID other = createExperiment(8);
        assertThat(get("/api/experiments/" + other + "/instances/" + g1 + "/lineage")
                        .status())
                .as("instance of another experiment")
                .isEqualTo(404);
        UUID unknown = UUID.randomUUID();
        assertThat(get("/api/experiments/" + unknown + "/buffer/stats").status())
                .isEqualTo(404);
        assertThat(get("/api/experiments/" + unknown + "/buffer/top").status()).isEqualTo(404);
        assertThat(get("/api/experiments/" + experiment + "/instances/" + Long.MAX_VALUE + "/lineage")
                        .status())
                .isEqualTo(404);
    }

    private static List<Long> counts(JsonNode entries) {
        var counts = new ArrayList<Long>();
        entries.forEach(e -> counts.add(e.get("count").asLong()));
        return counts;
    }

    private static List<Long> ids(JsonNode nodes) {
        var ids = new ArrayList<Long>();
        nodes.forEach(n -> ids.add(n.get("id").asLong()));
        return ids;
    }
}
