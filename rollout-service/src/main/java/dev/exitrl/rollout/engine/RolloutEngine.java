package dev.exitrl.rollout.engine;

import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.EpisodeLimits;
import dev.exitrl.core.domain.Verification;
import dev.exitrl.core.experiment.DomainTrainingOptions;
import dev.exitrl.core.grpo.DiversityBonus;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.reward.Rewards;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.Turn;
import dev.exitrl.policy.sampling.SamplingParams;
import dev.exitrl.rollout.engine.RolloutEnvironment.Episode;
import dev.exitrl.rollout.engine.RolloutEnvironment.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Step 4 of ExIt's iteration for one lease: sample G responses for every slot, score each with the domain verifier,
 * compute its reward and, for presets with the diversity bonus, its multiplier d_i. Every slot of the lease goes into
 * ONE batched generate call (slots x G rows, KV cache, per-token behaviour log-probs), run by one policy version.
 * Rewards and the diversity bonus are exit-core's ({@link Rewards#reward}, {@link DiversityBonus#multipliers}).
 *
 * <p>Choices the paper does not make (or deviations from it):
 *
 * <ul>
 *   <li>Context budget: a prompt longer than {@code maxPositions - min(maxNewTokens, maxPositions / 2)} tokens is
 *       cut from the left, keeping its first token (BOS), so half the context (or all of maxNewTokens) stays for the
 *       response; the submitted prompt ids are the cut ones, which is what the behaviour policy saw. The response
 *       budget of a batch is {@code min(maxNewTokens, maxPositions - longest prompt)}. The paper's models have long
 *       contexts and never hit this; our tiny from-scratch models (512 positions) can.</li>
 *   <li>Multi-turn domains ({@code Domain.isMultiTurn()}) are played by {@link MultiTurnEnvironment} under the
 *       domain's training limits (exit-core {@code DomainTrainingOptions.trainingLimits()}) unless the caller gives
 *       others (evaluation); their quality is the episode's outcome, not a re-verification of the response text.
 *   <li>Embeddings for the diversity bonus: one in-process sentence embedding model for every domain (see
 *       {@link MiniLmEmbedder}) where the paper used domain models (a math BERT, CodeXEmbed). A blank response is
 *       embedded as the text {@code "(empty)"}, since the embedding model refuses blank input.</li>
 * </ul>
 */
public final class RolloutEngine {
    static final String EMPTY_RESPONSE_TEXT = "(empty)";

    private final RolloutEnvironment environment;
    private final Embedder embedder;

    /** @param embedder used only for batches with the diversity bonus; may be null when no experiment uses it */
    public RolloutEngine(RolloutEnvironment environment, Embedder embedder) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.embedder = embedder;
    }

    /**
     * Rolls out every slot with one policy version.
     *
     * @param slots the lease's slots
     * @param domain the experiment's domain (verifier)
     * @param rewardMode the experiment's effective reward mode
     * @param diversityBonus whether to compute the diversity multipliers
     * @param policy the one policy version of this batch
     * @param params the batch's sampling parameters (its maxNewTokens is capped to the context, see the class comment)
     */
    public BatchResult run(
            List<RolloutSlot> slots,
            Domain domain,
            RewardMode rewardMode,
            boolean diversityBonus,
            PolicyView policy,
            SamplingParams params) {
        return run(
                slots,
                domain,
                rewardMode,
                diversityBonus,
                policy,
                params,
                DomainTrainingOptions.of(domain.id()).trainingLimits());
    }

    /**
     * {@link #run(List, Domain, RewardMode, boolean, PolicyView, SamplingParams)} with the episode limits of a
     * multi-turn domain (ignored for single-turn domains).
     */
    public BatchResult run(
            List<RolloutSlot> slots,
            Domain domain,
            RewardMode rewardMode,
            boolean diversityBonus,
            PolicyView policy,
            SamplingParams params,
            EpisodeLimits limits) {
        if (diversityBonus && embedder == null) {
            throw new IllegalStateException("the diversity bonus needs an embedder");
        }
        long version = policy.version();
        if (slots.isEmpty()) {
            return new BatchResult(version, List.of(), 0, 0, 0, 0);
        }
        int maxPositions = policy.maxPositions();
        int responseReserve = Math.min(params.maxNewTokens(), maxPositions / 2);
        List<long[]> promptIds = new ArrayList<>(slots.size());
        List<Row> rows = new ArrayList<>();
        int longest = 0;
        for (RolloutSlot slot : slots) {
            long[] ids = fit(policy.encode(slot.prompt()), maxPositions - responseReserve);
            promptIds.add(ids);
            longest = Math.max(longest, ids.length);
            for (int g = 0; g < slot.groupSize(); g++) {
                rows.add(new Row(slot, ids));
            }
        }
        int newTokens = Math.min(params.maxNewTokens(), maxPositions - longest);
        SamplingParams batchParams = params.withMaxNewTokens(newTokens);

        long t0 = System.nanoTime();
        RolloutEnvironment env = domain.isMultiTurn() ? new MultiTurnEnvironment(domain, limits) : environment;
        List<Episode> episodes = env.play(rows, policy, batchParams);
        long generateNanos = System.nanoTime() - t0;
        if (episodes.size() != rows.size()) {
            throw new IllegalStateException(
                    "the environment played " + episodes.size() + " of " + rows.size() + " rows");
        }

        t0 = System.nanoTime();
        Verification[] verdicts = new Verification[rows.size()];
        long generatedTokens = 0;
        for (int i = 0; i < rows.size(); i++) {
            Episode e = episodes.get(i);
            verdicts[i] = e.verification() != null
                    ? e.verification()
                    : domain.verify(rows.get(i).slot().task(), e.response());
            generatedTokens += policyTokens(e);
        }
        long verifyNanos = System.nanoTime() - t0;

        long embedNanos = 0;
        double[] diversity = null; // (rows)
        if (diversityBonus) {
            t0 = System.nanoTime();
            diversity = diversityMultipliers(slots, episodes);
            embedNanos = System.nanoTime() - t0;
        }

        List<GroupResult> groups = new ArrayList<>(slots.size());
        int row = 0;
        for (int s = 0; s < slots.size(); s++) {
            RolloutSlot slot = slots.get(s);
            double parentQuality = parentQuality(slot, domain);
            List<RolloutResult> rollouts = new ArrayList<>(slot.groupSize());
            for (int g = 0; g < slot.groupSize(); g++, row++) {
                Episode e = episodes.get(row);
                Verification v = verdicts[row];
                double reward = Rewards.reward(rewardMode, slot.stepKind(), parentQuality, v.quality());
                // The verifier's feedback is kept with the child (MLE's error trace decides its DEBUG step); the
                // revision prompts never show it for IMPROVE or DIVERGE, so keeping it reveals nothing.
                // A multi-turn episode's history already holds each turn's verdict (its own verification).
                String feedback = e.feedback() != null ? e.feedback() : v.feedback();
                History history = e.verification() == null && e.feedback() == null && v.feedback() != null
                        ? e.history()
                                .withLatest(new Turn(
                                        e.history().latest().response(),
                                        e.history().latest().iterate(),
                                        v.feedback()))
                        : e.history();
                rollouts.add(new RolloutResult(
                        e.response(),
                        v.quality(),
                        reward,
                        feedback,
                        history,
                        e.tokenIds(),
                        e.logProbs(),
                        diversity == null ? null : diversity[row],
                        v.correct(),
                        e.policyMask(),
                        e.truncated()));
            }
            groups.add(new GroupResult(slot.slot(), slot.prompt(), promptIds.get(s), version, rollouts));
        }
        return new BatchResult(version, List.copyOf(groups), generatedTokens, generateNanos, verifyNanos, embedNanos);
    }

    /**
     * The quality of the response a slot revises: the task space's, or, when it does not know it, the verifier's
     * verdict on the history's latest response (the verifier is deterministic, so that is the same number).
     * Unused (0) for SOLVE.
     */
    static double parentQuality(RolloutSlot slot, Domain domain) {
        if (slot.parentQuality() != null) {
            return slot.parentQuality();
        }
        if (!slot.stepKind().isSelfIteration()) {
            return 0;
        }
        return domain.verify(slot.task(), slot.history().latest().response()).quality();
    }

    /** Tokens the policy generated in an episode (observation tokens of a multi-turn episode excluded). */
    static long policyTokens(Episode e) {
        if (e.policyMask() == null) {
            return e.tokenIds().length;
        }
        long n = 0;
        for (boolean m : e.policyMask()) {
            n += m ? 1 : 0;
        }
        return n;
    }

    /** d_i for every row: all responses embedded in one call, the bonus computed per group. */
    private double[] diversityMultipliers(List<RolloutSlot> slots, List<Episode> episodes) {
        List<String> texts = new ArrayList<>(episodes.size());
        for (Episode e : episodes) {
            texts.add(e.response().isBlank() ? EMPTY_RESPONSE_TEXT : e.response());
        }
        List<float[]> embeddings = embedder.embed(texts); // (rows, dim)
        double[] out = new double[episodes.size()];
        int start = 0;
        for (RolloutSlot slot : slots) {
            double[] d = DiversityBonus.multipliers(embeddings.subList(start, start + slot.groupSize()));
            System.arraycopy(d, 0, out, start, d.length);
            start += slot.groupSize();
        }
        return out;
    }

    /** The prompt cut from the left to {@code max} tokens, keeping its first token (BOS). */
    static long[] fit(long[] ids, int max) {
        if (ids.length <= max) {
            return ids;
        }
        if (max < 2) {
            throw new IllegalArgumentException("no room for a prompt: " + max + " positions left");
        }
        long[] out = new long[max];
        out[0] = ids[0];
        System.arraycopy(ids, ids.length - (max - 1), out, 1, max - 1);
        return out;
    }
}
