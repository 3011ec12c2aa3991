package dev.exitrl.rollout.engine;

import dev.exitrl.core.grpo.DiversityBonus;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the diversity bonus costs a worker on CPU: embedding one group of G typical responses (plus exit-core's
 * multipliers) with all-MiniLM-L6-v2, for a few group sizes and response lengths. Run with
 * {@code ./mvnw -B -Pbench -pl rollout-service -am verify}.
 */
@Tag("bench")
class MiniLmEmbedderBenchmark {
    static final String[] WORDS = ("first add multiply subtract divide the numbers target to get then answer we "
                    + "check result is close so try another approach instead of using each number once because "
                    + "which gives equals and now 3 5 8 12 25 100 ( ) + - * /")
            .split(" ");

    @Test
    void embeddingCostPerGroup() {
        System.out.printf(
                "%nall-MiniLM-L6-v2 on CPU: %d cores visible, load average %.1f (a busy machine inflates every row)%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        measure("texts in parallel (langchain4j's default executor)", MiniLmEmbedder::new);
        measure("texts one after another (caller thread)", () -> new MiniLmEmbedder(Runnable::run));
    }

    static void measure(String label, Supplier<MiniLmEmbedder> factory) {
        SplittableRandom random = new SplittableRandom(1);
        long t0 = System.nanoTime();
        MiniLmEmbedder embedder = factory.get(); // loads the model and starts the ONNX session
        embedder.embed(group(random, 1, 10));
        System.out.printf("%n%s: model load + first call %.0f ms%n", label, (System.nanoTime() - t0) / 1e6);
        System.out.printf("%-4s %-14s %-10s %-12s %-12s%n", "G", "words/resp", "groups", "ms/group", "ms/response");
        int[][] cases = {{8, 30}, {8, 120}, {8, 400}, {16, 120}};
        for (int[] c : cases) {
            int g = c[0];
            int words = c[1];
            embedder.embed(group(random, g, words)); // warm-up
            int groups = 5;
            long total = 0;
            for (int i = 0; i < groups; i++) {
                List<String> texts = group(random, g, words);
                long s = System.nanoTime();
                DiversityBonus.multipliers(embedder.embed(texts));
                total += System.nanoTime() - s;
            }
            double msGroup = total / 1e6 / groups;
            System.out.printf("%-4d %-14d %-10d %-12.1f %-12.2f%n", g, words, groups, msGroup, msGroup / g);
        }
    }

    static List<String> group(SplittableRandom random, int g, int words) {
        List<String> out = new ArrayList<>(g);
        for (int i = 0; i < g; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < words; w++) {
                sb.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            out.add(sb.append("Answer: (3 + 5) * 3").toString());
        }
        return out;
    }
}
