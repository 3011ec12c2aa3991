package dev.exitrl.core.buffer;

import static dev.exitrl.core.TestData.TASK;
import static dev.exitrl.core.TestData.single;
import static dev.exitrl.core.buffer.InMemoryBuffer.OfferResult.ADDED;
import static dev.exitrl.core.buffer.InMemoryBuffer.OfferResult.ALREADY_STORED;
import static dev.exitrl.core.buffer.InMemoryBuffer.OfferResult.REJECTED;
import static dev.exitrl.core.buffer.InMemoryBuffer.OfferResult.REPLACED_MIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.buffer.BufferPolicy.Admission;
import dev.exitrl.core.sampling.SoftmaxSampler;
import dev.exitrl.core.task.TaskInstance;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InMemoryBufferTest {
    private final TaskInstance a = single("a", 1),
            b = single("b", 1),
            c = single("c", 1),
            d = single("d", 1),
            e = single("e", 1),
            f = single("f", 1);

    @Test
    void admitIsPure() {
        assertThat(BufferPolicy.admit(2, 3, 0.9, 0.0)).isEqualTo(Admission.ADD);
        assertThat(BufferPolicy.admit(3, 3, 0.1, 0.1)).isEqualTo(Admission.REPLACE_MIN);
        assertThat(BufferPolicy.admit(3, 3, 0.1, 0.2)).isEqualTo(Admission.REPLACE_MIN);
        assertThat(BufferPolicy.admit(3, 3, 0.1, 0.0999)).isEqualTo(Admission.REJECT);
        assertThat(BufferPolicy.isReady(3, 3)).isTrue();
        assertThat(BufferPolicy.isReady(2, 3)).isFalse();
    }

    @Test
    void atCapacityAnEqualScoreReplacesTheOldestMinimum() {
        var buffer = new InMemoryBuffer(3);
        assertThat(buffer.offer(a, 0.1, 0)).isEqualTo(ADDED);
        assertThat(buffer.offer(b, 0.2, 0)).isEqualTo(ADDED);
        assertThat(buffer.offer(c, 0.1, 0)).isEqualTo(ADDED);
        assertThat(buffer.offer(d, 0.05, 1)).isEqualTo(REJECTED);
        assertThat(buffer.offer(e, 0.1, 1)).isEqualTo(REPLACED_MIN); // minima a (older) and c: a goes
        assertThat(instances(buffer)).containsExactly(b, c, e);
        assertThat(buffer.offer(f, 0.1, 2)).isEqualTo(REPLACED_MIN); // minima c (older) and e: c goes
        assertThat(instances(buffer)).containsExactly(b, e, f);
        assertThat(buffer.size()).isEqualTo(3);
    }

    @Test
    void duplicatesChangeNothing() {
        var buffer = new InMemoryBuffer(3);
        buffer.offer(a, 0.1, 0);
        assertThat(buffer.offer(a, 0.24, 5)).isEqualTo(ALREADY_STORED);
        var stored = buffer.get(a).orElseThrow();
        assertThat(stored.score()).isEqualTo(0.1);
        assertThat(stored.insertionSeq()).isZero();
        assertThat(stored.lastSampledIteration()).isZero();
    }

    @Test
    void rescoringAStoredParentKeepsItsInsertionOrder() {
        var buffer = new InMemoryBuffer(2);
        buffer.offer(a, 0.2, 0);
        buffer.offer(b, 0.1, 0);
        buffer.rescore(a, 0.0, 1); // a becomes the minimum but keeps seq 0
        assertThat(buffer.get(a).orElseThrow().score()).isZero();
        assertThat(buffer.get(a).orElseThrow().insertionSeq()).isZero();
        assertThat(buffer.offer(c, 0.0, 1)).isEqualTo(REPLACED_MIN);
        assertThat(instances(buffer)).containsExactly(b, c);
    }

    @Test
    void rescoringAnAbsentParentOffersItUnderTheAdmissionRule() {
        var buffer = new InMemoryBuffer(2);
        buffer.offer(a, 0.2, 0);
        buffer.offer(b, 0.2, 0);
        assertThat(buffer.rescore(c, 0.1, 1)).isEqualTo(REJECTED); // evicted parent, score below the minimum
        assertThat(buffer.rescore(c, 0.2, 1)).isEqualTo(REPLACED_MIN);
        assertThat(instances(buffer)).containsExactly(b, c);
    }

    @Test
    void groupUpdateRescoresTheParentAndChildrenInheritItsScore() {
        var buffer = new InMemoryBuffer(4);
        var base = TaskInstance.base(TASK);
        buffer.update(base, 0.1875, List.of(a, b), 3);
        assertThat(buffer.items()).extracting(BufferItem::instance).containsExactly(base, a, b);
        assertThat(buffer.items()).extracting(BufferItem::score).containsOnly(0.1875);
        assertThat(buffer.items()).extracting(BufferItem::lastSampledIteration).containsOnly(3L);
        buffer.update(a, 0.25, List.of(c), 4);
        assertThat(buffer.get(a).orElseThrow().score()).isEqualTo(0.25);
        assertThat(buffer.get(c).orElseThrow().score()).isEqualTo(0.25);
        assertThat(buffer.get(b).orElseThrow().score()).isEqualTo(0.1875);
    }

    @Test
    void samplingRecordsTheIteration() {
        var buffer = new InMemoryBuffer(4);
        buffer.offer(a, 0.1, 0);
        buffer.offer(b, 0.2, 0);
        var item = buffer.sample(new SoftmaxSampler(10), 7, new SplittableRandom(1));
        assertThat(buffer.get(item.instance()).orElseThrow().lastSampledIteration())
                .isEqualTo(7);
        assertThat(buffer.candidates()).hasSize(2);
    }

    private static List<TaskInstance> instances(InMemoryBuffer buffer) {
        return buffer.items().stream().map(BufferItem::instance).toList();
    }
}
