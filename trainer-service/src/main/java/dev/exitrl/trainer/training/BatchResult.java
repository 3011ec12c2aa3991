package dev.exitrl.trainer.training;

import dev.exitrl.core.grpo.Advantages;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.policy.training.StepStats;
import dev.exitrl.policy.training.TrainingSample;
import dev.exitrl.taskapi.ClaimedGroup;
import dev.exitrl.taskapi.RolloutRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one training iteration did, for metrics and logs.
 *
 * @param version the policy version the update produced
 * @param trained whether an optimizer step ran (false when every group was dropped as zero-variance)
 * @param steps one entry per epoch
 * @param learningRate the learning rate of the steps
 * @param groups groups in the claimed batch
 * @param zeroVarianceGroups groups whose rewards were all equal (counted whether dropped or not)
 * @param advantages the advantage of every trained rollout, after the diversity multiplier
 * @param meanReward mean reward of the batch's rollouts per step kind
 * @param meanQuality mean verifier quality of the batch's rollouts per step kind
 * @param meanDepth mean depth of the batch's instances
 * @param maxDepth deepest instance of the batch
 * @param diversity every diversity multiplier the batch carried (empty without the bonus)
 * @param recomputedRollouts rollouts whose behaviour log-probs the trainer computed (trained on-policy)
 * @param referenceUpdated whether the reference policy was updated after the steps
 * @param seconds wall time of the iteration (tokenising, log-probs, steps, reference update)
 */
public record BatchResult(
        long version,
        boolean trained,
        List<StepStats> steps,
        double learningRate,
        int groups,
        int zeroVarianceGroups,
        double[] advantages,
        Map<StepKind, Double> meanReward,
        Map<StepKind, Double> meanQuality,
        double meanDepth,
        int maxDepth,
        double[] diversity,
        int recomputedRollouts,
        boolean referenceUpdated,
        double seconds) {

    static BatchResult of(
            List<ClaimedGroup> groups,
            Advantages.Batch advantages,
            List<List<TrainingSample>> batch,
            List<StepStats> steps,
            boolean referenceUpdated,
            int recomputed,
            double seconds,
            long version,
            double learningRate) {
        Map<StepKind, double[]> reward = new EnumMap<>(StepKind.class); // kind -> {sum, count}
        Map<StepKind, double[]> quality = new EnumMap<>(StepKind.class);
        List<Double> diversity = new ArrayList<>();
        double depthSum = 0;
        int maxDepth = 0;
        for (ClaimedGroup g : groups) {
            depthSum += g.depth();
            maxDepth = Math.max(maxDepth, g.depth());
            for (RolloutRecord r : g.rollouts()) {
                add(reward, g.stepKind(), r.reward());
                add(quality, g.stepKind(), r.quality());
                if (r.diversity() != null) {
                    diversity.add(r.diversity());
                }
            }
        }
        double[] adv = batch.stream()
                .flatMap(List::stream)
                .mapToDouble(TrainingSample::advantage)
                .toArray();
        return new BatchResult(
                version,
                !steps.isEmpty(),
                List.copyOf(steps),
                learningRate,
                groups.size(),
                advantages.zeroVarianceGroups(),
                adv,
                means(reward),
                means(quality),
                depthSum / groups.size(),
                maxDepth,
                diversity.stream().mapToDouble(Double::doubleValue).toArray(),
                recomputed,
                referenceUpdated,
                seconds);
    }

    private static void add(Map<StepKind, double[]> sums, StepKind kind, double value) {
        double[] s = sums.computeIfAbsent(kind, k -> new double[2]);
        s[0] += value;
        s[1] += 1;
    }

    private static Map<StepKind, Double> means(Map<StepKind, double[]> sums) {
        Map<StepKind, Double> out = new EnumMap<>(StepKind.class);
        sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
        return out;
    }

    /** The last epoch's step (the one whose loss and KL describe the new version), or null when none ran. */
    public StepStats lastStep() {
        return steps.isEmpty() ? null : steps.get(steps.size() - 1);
    }

    /** Policy tokens of every epoch together. */
    public long tokens() {
        return steps.stream().mapToLong(StepStats::tokens).sum();
    }

    public double tokensPerSecond() {
        return seconds > 0 ? tokens() / seconds : 0;
    }

    public double zeroVarianceFraction() {
        return groups == 0 ? 0 : (double) zeroVarianceGroups / groups;
    }

    public double advantageMean() {
        double s = 0;
        for (double a : advantages) {
            s += a;
        }
        return advantages.length == 0 ? 0 : s / advantages.length;
    }

    /** Population standard deviation of the trained advantages. */
    public double advantageStd() {
        if (advantages.length == 0) {
            return 0;
        }
        double mean = advantageMean();
        double v = 0;
        for (double a : advantages) {
            v += (a - mean) * (a - mean);
        }
        return Math.sqrt(v / advantages.length);
    }
}
