package dev.exitrl.taskapi;

import java.util.List;

/**
 * The buffer of one experiment at a glance.
 *
 * @param size           instances in the buffer
 * @param capacity       N, from the experiment's configuration
 * @param minScore       lowest learnability score in the buffer (null when empty)
 * @param maxScore       highest score (null when empty)
 * @param meanScore      mean score (null when empty)
 * @param scoreHistogram equal bins over the score range
 * @param depthHistogram buffered instances per depth, ascending, depths without instances left out
 * @param meanDepth      mean depth of the buffer (null when empty)
 * @param totalInstances instances ever created in the experiment (buffered or not)
 * @param sampledDepth   per policy version: how many instances were leased and their mean depth
 */
public record BufferStats(
        long size,
        int capacity,
        Double minScore,
        Double maxScore,
        Double meanScore,
        List<ScoreBin> scoreHistogram,
        List<DepthCount> depthHistogram,
        Double meanDepth,
        long totalInstances,
        List<SampledDepth> sampledDepth) {

    /** Scores in [lower, upper); the last bin also holds scores at or above its upper bound. */
    public record ScoreBin(double lower, double upper, long count) {}

    public record DepthCount(int depth, long count) {}

    /**
     * The curriculum under one policy version (what the paper's depth plots show).
     *
     * @param count              lease slots served under the version
     * @param meanDepth          mean depth of their instances
     * @param maxDepth           deepest instance served
     * @param fromBufferShare    share of slots drawn from the buffer (the rest are base tasks)
     * @param instancesTrainedOn distinct instances of the version's groups that the trainer consumed
     */
    public record SampledDepth(
            long policyVersion,
            long count,
            double meanDepth,
            int maxDepth,
            double fromBufferShare,
            long instancesTrainedOn) {}
}
