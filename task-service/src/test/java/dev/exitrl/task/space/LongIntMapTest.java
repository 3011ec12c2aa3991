package dev.exitrl.task.space;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongIntMapTest {
    @Test
    void behavesLikeAHashMapUnderRandomOperations() {
        var map = new LongIntMap();
        var reference = new HashMap<Long, Integer>();
        var random = new SplittableRandom(11);
        for (int step = 0; step < 300_000; step++) {
            long key = random.nextInt(5_000) * 1_000_003L; // collisions in the low bits, many probe runs
            switch (random.nextInt(3)) {
                case 0 -> {
                    int value = random.nextInt(1_000_000);
                    map.put(key, value);
                    reference.put(key, value);
                }
                case 1 ->
                    assertThat(map.remove(key))
                            .isEqualTo(reference.containsKey(key) ? reference.remove(key) : LongIntMap.MISSING);
                default -> assertThat(map.get(key)).isEqualTo(reference.getOrDefault(key, LongIntMap.MISSING));
            }
            assertThat(map.size()).isEqualTo(reference.size());
        }
        reference.forEach((k, v) -> assertThat(map.get(k)).isEqualTo(v));
    }
}
