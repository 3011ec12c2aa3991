package dev.exitrl.trainer.training;

import dev.exitrl.core.experiment.DomainTrainingOptions;
import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.core.grpo.Advantages;
import dev.exitrl.policy.Policy;
import dev.exitrl.policy.tokenizer.PolicyTokenizer;
import dev.exitrl.policy.training.GrpoConfig;
import dev.exitrl.policy.training.PolicyTrainer;
import dev.exitrl.policy.training.StepStats;
import dev.exitrl.policy.training.TrainingSample;
import dev.exitrl.taskapi.ClaimedGroup;
import dev.exitrl.taskapi.RolloutRecord;
import dev.exitrl.trainer.TrainerProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * One ExIt training iteration on a claimed batch (exit-algorithm.md, "Policy update"): GRPO advantages per group
 * from exit-core's {@link Advantages}, times each rollout's diversity multiplier when the worker sent one,
 * {@code epochsPerBatch} GRPO steps of exit-policy's {@link PolicyTrainer}, and the reference update every
 * {@code refUpdateEvery} iterations.
 *
 * <p>Choices the paper leaves open, and fallbacks of ours:
 * <ul>
 *   <li>The iteration number is the policy version the batch produces (version v = v updates since version 0), so
 *       the reference schedule ({@code v % refUpdateEvery == 0}) survives restarts without extra state.
 *   <li>A rollout without token ids is tokenised here: the prompt with the tokenizer's special tokens (as the
 *       sampler encodes prompts), the response without them followed by EOS (the sampler stops at EOS, and an
 *       empty response still has a token to train).
 *   <li>A rollout without behaviour log-probs (or whose log-probs do not match its tokens) gets them from the
 *       current policy before the update, which makes its ratio start at 1: the group is trained on-policy, as if
 *       the current version had generated it. Counted in {@link BatchResult#recomputedRollouts()}.
 *   <li>With {@code dropZeroVarianceGroups}, a batch whose groups all have zero variance trains nothing: no
 *       optimizer step, no new version ({@link BatchResult#trained()} is false).
 * </ul>
 *
 * <p>Per-domain options (exit-core {@link DomainTrainingOptions}, the paper's appendix A.3; tool use turns all on):
 * <ul>
 *   <li>Policy mask: only tokens the worker marks as the policy's ({@code RolloutRecord.policyMask}; tool results
 *       and later user requests of a multi-turn episode are not) carry loss, KL and ratio; the others are context.
 *   <li>Dr. GRPO: advantages {@code r - mean(r)} (exit-core {@link Advantages}) and each rollout's token sum divided
 *       by one constant instead of its own length. The constant is the model's context length, the longest response
 *       any rollout can have (Liu et al. use the generation budget, which the trainer does not know; under AdamW the
 *       constant only rescales the step, since the update is nearly invariant to a gradient's scale).
 *   <li>Overlong filtering (DAPO): a rollout the worker marks truncated gets an all-zero mask, so it adds no loss
 *       and no KL; its reward still counts in its group's mean (the advantages of the others are unchanged by the
 *       filter), and it still counts in its group's size. A batch whose rollouts are all filtered still takes an
 *       (empty) optimizer step so every claimed batch makes a version.
 * </ul>
 *
 * <p>Runs on the training thread only (DJL's gradient collector is global).
 */
public final class BatchTrainer {

    private final Policy policy;
    private final PolicyTrainer trainer;
    private final int microBatchSize;

    public BatchTrainer(Policy policy, PolicyTrainer trainer) {
        this.policy = policy;
        this.trainer = trainer;
        this.microBatchSize = trainer.config().microBatchSize();
    }

    /** GRPO settings of an experiment: its learning rate, clip and KL weight with the trainer's optimiser settings. */
    public static GrpoConfig grpoConfig(ExperimentConfig config, TrainerProperties properties) {
        return properties.grpo(config.learningRate(), config.clipEpsilon(), config.klBeta());
    }

    /** Trains on {@code groups}; {@code version} is the policy version this update produces (>= 1). */
    public BatchResult train(ExperimentConfig config, List<ClaimedGroup> groups, long version) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("groups must not be empty");
        }
        if (version < 1) {
            throw new IllegalArgumentException(
                    "version must be >= 1 (version 0 is the initial policy), was " + version);
        }
        long started = System.nanoTime();
        trainer.setConfig(grpoConfig(config, trainer.config()));
        DomainTrainingOptions options = DomainTrainingOptions.of(config.domain());
        List<double[]> rewards = new ArrayList<>(groups.size());
        for (ClaimedGroup g : groups) {
            if (g.rollouts() == null || g.rollouts().isEmpty()) {
                throw new IllegalArgumentException("group " + g.groupId() + " has no rollouts");
            }
            rewards.add(g.rollouts().stream().mapToDouble(RolloutRecord::reward).toArray());
        }
        Advantages.Batch advantages = Advantages.ofBatch(
                rewards, config.advantageEpsilon(), config.dropZeroVarianceGroups(), options.drGrpo());

        List<PendingGroup> kept = new ArrayList<>();
        for (int k = 0; k < advantages.keptGroups().size(); k++) {
            ClaimedGroup g = groups.get(advantages.keptGroups().get(k));
            kept.add(tokenise(g, advantages.advantages().get(k), options));
        }
        int recomputed = fillBehaviourLogProbs(kept);
        List<List<TrainingSample>> batch = new ArrayList<>(kept.size());
        for (PendingGroup p : kept) {
            batch.add(p.samples());
        }

        List<StepStats> steps = new ArrayList<>();
        boolean referenceUpdated = false;
        int constantTokens = options.drGrpo() ? policy.model().config().maxPositionEmbeddings() : 0;
        if (!batch.isEmpty()) {
            for (int epoch = 0; epoch < config.epochsPerBatch(); epoch++) {
                steps.add(trainer.grpoStep(batch, constantTokens));
            }
            if (version % config.refUpdateEvery() == 0) {
                trainer.updateReference(config.refUpdateAlpha());
                referenceUpdated = true;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return BatchResult.of(
                groups,
                advantages,
                batch,
                steps,
                referenceUpdated,
                recomputed,
                seconds,
                version,
                config.learningRate());
    }

    private static GrpoConfig grpoConfig(ExperimentConfig config, GrpoConfig current) {
        return current.withObjective(config.learningRate(), config.clipEpsilon(), config.klBeta());
    }

    /**
     * A group on its way to training samples; {@code behaviour[i]} is null until known, {@code masks[i]} null when
     * every token of rollout i is a policy token.
     */
    private record PendingGroup(
            long[] prompt, List<long[]> responses, List<float[]> behaviour, List<float[]> masks, double[] advantages) {
        List<TrainingSample> samples() {
            List<TrainingSample> out = new ArrayList<>(responses.size());
            for (int i = 0; i < responses.size(); i++) {
                out.add(new TrainingSample(prompt, responses.get(i), behaviour.get(i), advantages[i], masks.get(i)));
            }
            return out;
        }
    }

    /**
     * The policy mask of a rollout's tokens: all zeros for a truncated rollout under overlong filtering, the worker's
     * mask when the domain masks non-assistant tokens and the worker sent one (it must fit the tokens), else null.
     */
    static float[] policyMask(RolloutRecord r, long[] ids, DomainTrainingOptions options) {
        if (options.overlongFiltering() && r.isTruncated()) {
            return new float[ids.length];
        }
        if (!options.maskNonAssistantTokens() || r.policyMask() == null || r.policyMask().length != ids.length) {
            return null;
        }
        float[] mask = new float[ids.length];
        for (int t = 0; t < ids.length; t++) {
            mask[t] = r.policyMask()[t] ? 1f : 0f;
        }
        return mask;
    }

    private PendingGroup tokenise(ClaimedGroup g, double[] groupAdvantages, DomainTrainingOptions options) {
        PolicyTokenizer tok = policy.tokenizer();
        long[] prompt = g.promptTokenIds() != null && g.promptTokenIds().length > 0
                ? g.promptTokenIds()
                : tok.encodePrompt(g.prompt());
        List<long[]> responses = new ArrayList<>();
        List<float[]> behaviour = new ArrayList<>();
        List<float[]> masks = new ArrayList<>();
        double[] adv = new double[g.rollouts().size()];
        for (int i = 0; i < g.rollouts().size(); i++) {
            RolloutRecord r = g.rollouts().get(i);
            long[] ids;
            if (r.tokenIds() != null && r.tokenIds().length > 0) {
                ids = r.tokenIds();
            } else {
                ids = withEos(tok.encodePlain(r.response()));
            }
            responses.add(ids);
            masks.add(policyMask(r, ids, options));
            boolean logProbsFit = r.logProbs() != null && r.logProbs().length == ids.length;
            behaviour.add(logProbsFit ? r.logProbs() : null);
            // The diversity bonus scales the group-normalised advantage (exit-algorithm.md, "Diversity bonus").
            adv[i] = groupAdvantages[i] * (r.diversity() == null ? 1.0 : r.diversity());
        }
        return new PendingGroup(prompt, responses, behaviour, masks, adv);
    }

    private long[] withEos(long[] response) {
        int eos = policy.model().config().eosTokenId();
        if (eos < 0) {
            return response;
        }
        long[] out = new long[response.length + 1];
        System.arraycopy(response, 0, out, 0, response.length);
        out[response.length] = eos;
        return out;
    }

    /** Computes missing behaviour log-probs with the current weights (before the update); returns how many. */
    private int fillBehaviourLogProbs(List<PendingGroup> groups) {
        List<long[]> prompts = new ArrayList<>();
        List<long[]> responses = new ArrayList<>();
        List<int[]> where = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            PendingGroup p = groups.get(g);
            for (int i = 0; i < p.responses().size(); i++) {
                if (p.behaviour().get(i) == null) {
                    prompts.add(p.prompt());
                    responses.add(p.responses().get(i));
                    where.add(new int[] {g, i});
                }
            }
        }
        for (int start = 0; start < prompts.size(); start += microBatchSize) {
            int end = Math.min(prompts.size(), start + microBatchSize);
            List<float[]> rows = policy.tokenLogProbs(prompts.subList(start, end), responses.subList(start, end));
            for (int j = start; j < end; j++) {
                int[] at = where.get(j);
                groups.get(at[0]).behaviour().set(at[1], rows.get(j - start));
            }
        }
        return prompts.size();
    }
}
