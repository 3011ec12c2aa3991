package dev.exitrl.core.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;

/**
 * Turns a seeded candidate generator into disjoint train and test splits.
 *
 * <p>The test split is drawn from its own seed stream first, then the train split from another stream, skipping
 * any candidate whose content key is already taken (by the test split or an earlier train task). Drawing the
 * test split first keeps the held-out set the same when only the number of training tasks changes.
 */
public final class SplitGenerator {
    /** One generated candidate: its problem text, payload, and the key that identifies its content. */
    public record Candidate(String problem, JsonNode data, String contentKey) {}

    // Enough to get past the occasional duplicate; a generator that keeps repeating itself has too small a space.
    private static final int ATTEMPTS_PER_TASK = 50;

    private SplitGenerator() {}

    /**
     * Generates {@code spec.testCount()} test and {@code spec.trainCount()} train tasks. Each candidate gets its
     * own random source, split off its split's stream in order.
     *
     * @throws IllegalStateException when the generator cannot produce enough distinct tasks
     */
    public static TaskSplits generate(
            String domain, GeneratorSpec spec, Function<RandomGenerator, Candidate> candidates) {
        SplittableRandom root = new SplittableRandom(spec.seed());
        SplittableRandom testStream = root.split();
        SplittableRandom trainStream = root.split();
        Set<String> taken = new HashSet<>();
        List<BaseTask> test = draw(domain, Split.TEST, spec.testCount(), testStream, candidates, taken, spec);
        List<BaseTask> train = draw(domain, Split.TRAIN, spec.trainCount(), trainStream, candidates, taken, spec);
        return new TaskSplits(train, test);
    }

    private static List<BaseTask> draw(
            String domain,
            Split split,
            int count,
            SplittableRandom stream,
            Function<RandomGenerator, Candidate> candidates,
            Set<String> taken,
            GeneratorSpec spec) {
        List<BaseTask> tasks = new ArrayList<>(count);
        long attempts = 0;
        long maxAttempts = (long) count * ATTEMPTS_PER_TASK + 1000;
        while (tasks.size() < count) {
            if (++attempts > maxAttempts) {
                throw new IllegalStateException("domain " + domain + " produced only " + tasks.size() + " distinct "
                        + split.jsonName() + " tasks at difficulty " + spec.difficulty() + " after " + maxAttempts
                        + " attempts; ask for fewer tasks or a higher difficulty");
            }
            Candidate c = candidates.apply(stream.split());
            if (!taken.add(c.contentKey())) {
                continue;
            }
            tasks.add(new BaseTask(domain, BaseTask.contentId(domain, c.contentKey()), split, c.problem(), c.data()));
        }
        return tasks;
    }
}
