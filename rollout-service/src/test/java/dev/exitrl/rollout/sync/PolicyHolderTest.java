package dev.exitrl.rollout.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.policy.Policy;
import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import dev.exitrl.rollout.TinyPolicies;
import dev.exitrl.rollout.engine.BatchResult;
import dev.exitrl.rollout.engine.GroupResult;
import dev.exitrl.rollout.engine.PolicyView;
import dev.exitrl.rollout.engine.RolloutEngine;
import dev.exitrl.rollout.engine.RolloutSlot;
import dev.exitrl.rollout.engine.SingleTurnEnvironment;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyHolderTest {
    static final Domain COUNTDOWN = DomainRegistry.standard().get("countdown");

    @TempDir
    static Path scratch;

    static CheckpointServer server;
    static byte[] v1Zip;
    static byte[] v2Zip;
    static List<long[]> probe;

    @TempDir
    Path cache;

    final List<Policy> loaded = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void checkpoints() throws Exception {
        server = new CheckpointServer();
        try (Policy p1 = TinyPolicies.create(scratch.resolve("p1"), 1);
                Policy p2 = TinyPolicies.create(scratch.resolve("p2"), 2)) {
            v1Zip = CheckpointServer.zip(p1, scratch.resolve("p1"));
            v2Zip = CheckpointServer.zip(p2, scratch.resolve("p2"));
            probe = List.of(p1.tokenizer().encode("Answer: 3"));
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    PolicyHolder holder() {
        return new PolicyHolder("e1", cache, new CheckpointDownloader(Duration.ofSeconds(30)), dir -> {
            Policy p = Policy.load(dir, "cpu");
            loaded.add(p);
            return p;
        });
    }

    @Test
    void aDownloadWithTheWrongChecksumIsRefusedAndNeverLoaded() throws Exception {
        URI uri = server.serve("/bad/v1", v1Zip);
        String wrong = CheckpointServer.sha256(v2Zip);
        try (PolicyHolder holder = holder()) {
            assertThatThrownBy(() -> holder.update(1, uri, wrong))
                    .isInstanceOf(ChecksumMismatchException.class)
                    .hasMessageContaining(CheckpointServer.sha256(v1Zip));

            assertThat(loaded).isEmpty();
            assertThat(holder.version()).isEmpty();
            assertThat(holder.acquire()).isEmpty();
            try (Stream<Path> left = Files.list(cache)) {
                assertThat(left)
                        .as("no partial download or unpacked directory is left")
                        .isEmpty();
            }
            // The right digest afterwards loads it (the next poll retries).
            assertThat(holder.update(1, uri, CheckpointServer.sha256(v1Zip))).isTrue();
            assertThat(holder.version()).contains(1L);
        }
    }

    @Test
    void aGoodCheckpointLoadsAndBatchesReportItsVersion() throws Exception {
        URI uri = server.serve("/good/v1", v1Zip);
        try (PolicyHolder holder = holder()) {
            assertThat(holder.update(1, uri, CheckpointServer.sha256(v1Zip).toUpperCase()))
                    .isTrue();
            assertThat(holder.update(1, uri, CheckpointServer.sha256(v1Zip)))
                    .as("same version again")
                    .isFalse();
            assertThat(loaded).hasSize(1);
            assertThat(cache.resolve("v1/model.safetensors")).isRegularFile();

            try (var lease = holder.acquire().orElseThrow()) {
                assertThat(lease.version()).isEqualTo(1);
                BaseTask task = COUNTDOWN
                        .generate(new GeneratorSpec(1, 1, 1, 0))
                        .train()
                        .get(0);
                var slot = new RolloutSlot(
                        0,
                        task,
                        StepKind.SOLVE,
                        History.empty(),
                        COUNTDOWN.renderPrompt(task, StepKind.SOLVE, History.empty()),
                        null,
                        2);
                BatchResult batch = new RolloutEngine(new SingleTurnEnvironment(), null)
                        .run(List.of(slot), COUNTDOWN, RewardMode.ABSOLUTE, false, lease, SamplingParams.sample(8, 1));
                assertThat(batch.policyVersion()).isEqualTo(1);
                assertThat(batch.groups().get(0).policyVersion()).isEqualTo(1);
            }
            // The loaded weights are the served ones: same greedy tokens as the policy that was zipped.
            try (Policy original = Policy.load(unzipped(v1Zip), "cpu");
                    var lease = holder.acquire().orElseThrow()) {
                SamplingParams greedy = SamplingParams.greedy(6).withStopAtEos(false);
                assertThat(lease.generate(probe, greedy).get(0).tokenIds())
                        .containsExactly(
                                original.generateIds(probe, greedy).get(0).tokenIds());
            }
        }
    }

    @Test
    void aSwapRequestedDuringABatchWaitsForTheBatch_noGroupSeesTwoVersions() throws Exception {
        URI v1 = server.serve("/swap/v1", v1Zip);
        URI v2 = server.serve("/swap/v2", v2Zip);
        try (PolicyHolder holder = holder()) {
            holder.update(1, v1, CheckpointServer.sha256(v1Zip));
            Policy first = loaded.get(0);
            List<CompletableFuture<Boolean>> swaps = new ArrayList<>();

            BatchResult batch;
            try (var lease = holder.acquire().orElseThrow()) {
                // The swap is requested while the batch is inside its generate call and completes before the batch
                // generates: the batch must still run entirely on version 1.
                PolicyView swapMidBatch = new PolicyView() {
                    @Override
                    public long version() {
                        return lease.version();
                    }

                    @Override
                    public int maxPositions() {
                        return lease.maxPositions();
                    }

                    @Override
                    public long[] encode(String text) {
                        return lease.encode(text);
                    }

                    @Override
                    public long[] encodePlain(String text) {
                        return lease.encodePlain(text);
                    }

                    @Override
                    public List<Generation> generate(List<long[]> prompts, SamplingParams params) {
                        var swap = CompletableFuture.supplyAsync(() -> {
                            try {
                                return holder.update(2, v2, CheckpointServer.sha256(v2Zip));
                            } catch (IOException | InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        swaps.add(swap);
                        try {
                            assertThat(swap.get(60, TimeUnit.SECONDS)).isTrue();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        assertThat(holder.version()).contains(2L);
                        return lease.generate(prompts, params);
                    }
                };
                List<RolloutSlot> slots = new ArrayList<>();
                for (BaseTask task :
                        COUNTDOWN.generate(new GeneratorSpec(2, 1, 3, 0)).train()) {
                    slots.add(new RolloutSlot(
                            slots.size(),
                            task,
                            StepKind.SOLVE,
                            History.empty(),
                            COUNTDOWN.renderPrompt(task, StepKind.SOLVE, History.empty()),
                            null,
                            2));
                }
                batch = new RolloutEngine(new SingleTurnEnvironment(), null)
                        .run(slots, COUNTDOWN, RewardMode.ABSOLUTE, false, swapMidBatch, SamplingParams.sample(8, 3));
                assertThat(first.model().manager().isOpen())
                        .as("v1 stays open while its batch runs")
                        .isTrue();
            }

            assertThat(swaps).hasSize(1);
            assertThat(batch.policyVersion()).isEqualTo(1);
            assertThat(batch.groups()).extracting(GroupResult::policyVersion).containsOnly(1L);
            assertThat(first.model().manager().isOpen())
                    .as("v1 is closed after its last batch")
                    .isFalse();
            try (var next = holder.acquire().orElseThrow()) {
                assertThat(next.version()).isEqualTo(2);
            }
        }
        assertThat(loaded)
                .allSatisfy(p -> assertThat(p.model().manager().isOpen()).isFalse());
    }

    Path unzipped(byte[] zip) throws IOException {
        Path file = Files.createTempFile(scratch, "copy", ".zip");
        Files.write(file, zip);
        Path dir = Files.createTempDirectory(scratch, "copy");
        CheckpointDownloader.unzip(file, dir);
        return dir;
    }
}
