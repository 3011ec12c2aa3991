package dev.exitrl.task.buffer;

import static dev.exitrl.task.TaskSpaceApi.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.exitrl.taskapi.BufferItem;
import dev.exitrl.taskapi.BufferStats;
import dev.exitrl.taskapi.Lineage;
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
        c1 = insertInstance(experiment, task1, r, 1, 0.24, 0.5, true, "SOLVE", latest("c1", 1));
        c2 = insertInstance(experiment, task1, r, 1, 0.11, 1.0, true, "SOLVE", latest("c2", 1));
        g1 = insertInstance(experiment, task1, c1, 2, 0.03, 0.0, true, "IMPROVE", latest("g1", 2));
        g2 = insertInstance(experiment, task1, c1, 2, 0.30, null, true, "DIVERGE", latest("g2", 2));
        gg1 = insertInstance(experiment, task1, g1, 3, 0.25, 1.0, true, "IMPROVE", latest("gg1", 3));
        r2 = insertInstance(experiment, task2, null, 0, 0.0, 0.0, true, null, "{\"turns\":[]}");
        r3 = insertInstance(experiment, task2, r2, 1, 0.11, 0.0, true, "SOLVE", latest("r3", 1));
    }

    /** A one-turn history whose latest response is {@code response}, revised {@code iterate} times. */
    private static String latest(String response, int iterate) {
        return "{\"turns\":[{\"response\":\"" + response + "\",\"iterate\":" + iterate + "}]}";
    }

    @Test
    void statsSummariseTheBuffer() {
        // Leases: version 0 served r and r2 (depth 0, 0); version 1 served c1, g1 and r (depth 1, 2, 0).
        insertLease(experiment, 0, "COMPLETED", "1 minute", r, r2);
        insertLease(experiment, 1, "ACTIVE", "1 minute", c1, g1, r);

        BufferStats stats = client().bufferStats(experiment);
        assertThat(stats.size()).isEqualTo(7);
        assertThat(stats.capacity()).isEqualTo(64);
        assertThat(stats.minScore()).isEqualTo(0.0);
        assertThat(stats.maxScore()).isEqualTo(0.30);
        assertThat(stats.meanScore()).isCloseTo((0.24 + 0.11 + 0.03 + 0.30 + 0.25 + 0.0 + 0.11) / 7, within(1e-12));
        assertThat(stats.totalInstances()).isEqualTo(8);

        // Bins of width 0.025: 0.0 -> 0, 0.03 -> 1, 0.11 (x2) -> 4, 0.24 -> 9, and 0.25, 0.30 (the top and
        // above it) -> 9 as well.
        var bins = stats.scoreHistogram();
        assertThat(bins).hasSize(10);
        assertThat(bins)
                .extracting(BufferStats.ScoreBin::count)
                .containsExactly(1L, 1L, 0L, 0L, 2L, 0L, 0L, 0L, 0L, 3L);
        assertThat(bins.get(4).lower()).isCloseTo(0.1, within(1e-12));
        assertThat(bins.get(9).upper()).isEqualTo(0.25);

        var depths = stats.depthHistogram();
        assertThat(depths).hasSize(4);
        assertThat(depths.get(0).depth()).isZero();
        assertThat(depths)
                .extracting(BufferStats.DepthCount::count)
                .containsExactly(1L, 3L, 2L, 1L); // r2; c1 c2 r3; g1 g2; gg1
        assertThat(stats.meanDepth()).isCloseTo((0 + 1 + 1 + 1 + 2 + 2 + 3) / 7.0, within(1e-12));

        var sampled = stats.sampledDepth();
        assertThat(sampled).hasSize(2);
        assertThat(sampled.get(0).policyVersion()).isZero();
        assertThat(sampled.get(0).count()).isEqualTo(2);
        assertThat(sampled.get(0).meanDepth()).isZero();
        assertThat(sampled.get(1).policyVersion()).isEqualTo(1);
        assertThat(sampled.get(1).count()).isEqualTo(3);
        assertThat(sampled.get(1).meanDepth()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void emptyBufferHasNoScores() {
        UUID empty = createExperiment(8);
        BufferStats stats = client().bufferStats(empty);
        assertThat(stats.size()).isZero();
        assertThat(stats.capacity()).isEqualTo(8);
        assertThat(stats.meanScore()).isNull();
        assertThat(stats.minScore()).isNull();
        assertThat(stats.meanDepth()).isNull();
        assertThat(stats.scoreHistogram())
                .extracting(BufferStats.ScoreBin::count)
                .containsOnly(0L);
    }

    @Test
    void topIsByScoreThenOldestInsertion() {
        List<BufferItem> top = client().bufferTop(experiment, 5);
        // c2 and r3 share 0.11; c2 entered the buffer first.
        assertThat(top).extracting(BufferItem::id).containsExactly(g2, gg1, c1, c2, r3);
        BufferItem first = top.get(0);
        assertThat(first.depth()).isEqualTo(2);
        assertThat(first.createdBy()).isEqualTo("DIVERGE");
        assertThat(first.quality()).isNull();
        assertThat(first.taskKey()).isEqualTo("t1");
        assertThat(first.history().turns().get(0).response()).isEqualTo("g2");
        assertThat(first.history().turns().get(0).iterate()).isEqualTo(2);

        // The typed client always sends a limit; leaving it out takes raw HTTP.
        var all = get("/api/experiments/" + experiment + "/buffer/top");
        assertThat(all.status()).isEqualTo(200);
        assertThat(ids(all.json()))
                .as("default limit 20 returns the whole buffer")
                .containsExactly(g2, gg1, c1, c2, r3, g1, r2);
    }

    @Test
    void topLimitIsValidated() {
        for (int limit : List.of(0, 501)) {
            var refused = refused(() -> client().bufferTop(experiment, limit));
            assertThat(api.fields(refused)).as("limit %d", limit).containsExactly("limit");
        }
    }

    @Test
    void lineageWalksUpAndDown() {
        Lineage ofG1 = client().lineage(experiment, g1, 200);
        assertThat(ofG1.instance().id()).isEqualTo(g1);
        assertThat(ofG1.instance().parentId()).isEqualTo(c1);
        assertThat(ofG1.ancestors()).extracting(Lineage.Node::id).containsExactly(r, c1);
        assertThat(ofG1.descendants()).extracting(Lineage.Node::id).containsExactly(gg1);
        assertThat(ofG1.ancestors().get(0).inBuffer()).isFalse();
        assertThat(ofG1.ancestors().get(0).parentId()).isNull();

        Lineage ofRoot = client().lineage(experiment, r, 200);
        assertThat(ofRoot.ancestors()).isEmpty();
        assertThat(ofRoot.descendants()).extracting(Lineage.Node::id).containsExactly(c1, c2, g1, g2, gg1);
        assertThat(ofRoot.descendantsTruncated()).isFalse();

        Lineage capped = client().lineage(experiment, r, 3);
        List<Long> cappedIds =
                capped.descendants().stream().map(Lineage.Node::id).toList();
        assertThat(cappedIds).hasSize(3);
        assertThat(cappedIds.subList(0, 2))
                .as("breadth-first: the first generation is complete")
                .containsExactly(c1, c2);
        assertThat(cappedIds.get(2)).isIn(g1, g2);
        assertThat(capped.descendantsTruncated()).isTrue();
    }

    @Test
    void unknownExperimentOrInstanceIsNotFound() {
        UUID other = createExperiment(8);
        assertThat(refused(() -> client().lineage(other, g1, 200))
                        .getStatusCode()
                        .value())
                .as("instance of another experiment")
                .isEqualTo(404);
        UUID unknown = UUID.randomUUID();
        assertThat(refused(() -> client().bufferStats(unknown)).getStatusCode().value())
                .isEqualTo(404);
        assertThat(refused(() -> client().bufferTop(unknown, 20))
                        .getStatusCode()
                        .value())
                .isEqualTo(404);
        assertThat(refused(() -> client().lineage(experiment, Long.MAX_VALUE, 200))
                        .getStatusCode()
                        .value())
                .isEqualTo(404);
    }

    private static List<Long> ids(JsonNode nodes) {
        var ids = new ArrayList<Long>();
        nodes.forEach(n -> ids.add(n.get("id").asLong()));
        return ids;
    }
}
