package dev.exitrl.core.sampling;

import static dev.exitrl.core.TestData.TASK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.TestData;
import dev.exitrl.core.sampling.InstanceChoice.Source;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChoiceTest {
    @Test
    void bufferIsUsedOnlyOnceReadyAndWithProbabilityP() {
        var random = new SplittableRandom(5);
        assertThat(InstanceChoice.choose(true, 127, 128, 1.0, random)).isEqualTo(Source.BASE_TASK);
        assertThat(InstanceChoice.choose(false, 500, 128, 1.0, random)).isEqualTo(Source.BASE_TASK);
        assertThat(InstanceChoice.choose(true, 128, 128, 1.0, random)).isEqualTo(Source.BUFFER);
        int fromBuffer = 0;
        for (int i = 0; i < 20_000; i++) {
            if (InstanceChoice.choose(true, 200, 128, 0.2, random) == Source.BUFFER) {
                fromBuffer++;
            }
        }
        assertThat(fromBuffer).isBetween(3_800, 4_200); // mean 4,000, sd ~57
    }

    @Test
    void notReadyDrawsNoRandomNumber() {
        var a = new SplittableRandom(9);
        var b = new SplittableRandom(9);
        InstanceChoice.choose(true, 3, 10, 0.5, a);
        assertThat(a.nextLong()).isEqualTo(b.nextLong());
    }

    @Test
    void baseTaskIndexIsUniform() {
        var random = new SplittableRandom(6);
        int[] counts = new int[5];
        for (int i = 0; i < 25_000; i++) {
            counts[InstanceChoice.baseTaskIndex(5, random)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(4_700, 5_300); // mean 5,000, sd ~63
        }
    }

    @Test
    void stepKinds() {
        var random = new SplittableRandom(7);
        var revisable = TestData.single("x", 1);
        assertThat(StepKindChoice.choose(TaskInstance.base(TASK), 1.0, false, random))
                .isEqualTo(StepKind.SOLVE);
        assertThat(StepKindChoice.choose(revisable, 1.0, true, random)).isEqualTo(StepKind.DEBUG);
        assertThat(StepKindChoice.choose(revisable, 0.0, false, random)).isEqualTo(StepKind.IMPROVE);
        int diverge = 0;
        for (int i = 0; i < 20_000; i++) {
            if (StepKindChoice.choose(revisable, 0.2, false, random) == StepKind.DIVERGE) {
                diverge++;
            }
        }
        assertThat(diverge).isBetween(3_800, 4_200);
    }
}
