package dev.exitrl.core.experiment;

import dev.exitrl.core.buffer.ChildPolicy;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.sampling.BufferSampler;
import dev.exitrl.core.sampling.SamplerKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Every hyperparameter of an ExIt experiment. A plain record: Jackson serialises it as is (the task-service
 * stores it as JSONB and accepts it over REST); enums are written as lower-case ids ({@code "exit"},
 * {@code "random-one"}). Build one with {@link #defaults(String, Preset)} and adjust with the record's
 * {@code with}-style copies of your choice; check it with {@link #validate()}.
 *
 * @param domain                 domain id ({@code math}, {@code tool-use}, {@code mle}, {@code countdown}, ...)
 * @param preset                 ablation preset; decides buffer use, children and divergence
 * @param model                  model name or path
 * @param seed                   root seed of every random source of the experiment
 * @param learningRate           AdamW learning rate
 * @param promptsPerBatch        prompt slots per iteration
 * @param rolloutsPerPrompt      G, rollouts per group
 * @param klBeta                 beta, weight of the k3 KL penalty against the reference policy
 * @param refUpdateEvery         M, iterations between reference-policy updates
 * @param refUpdateAlpha         alpha in {@code ref <- alpha theta + (1 - alpha) ref}
 * @param bufferCapacity         N
 * @param bufferMinSize          B_min, buffer size from which selection starts
 * @param selectProbability      p, probability of selecting from a ready buffer
 * @param divergeProbability     p_div (used only when the preset has divergence)
 * @param kappa                  inverse temperature of the softmax sampler (paper silent; default 10)
 * @param sampler                buffer sampler: softmax (paper) or rank (PLR option)
 * @param rankTemperature        beta of the rank sampler (PLR default 0.1)
 * @param stalenessMix           rho of the rank sampler (PLR default 0.1)
 * @param rewardMode             reward mode; null = the domain's default ({@link Domain#defaultRewardMode})
 * @param childPolicy            which responses become children (paper silent; default all)
 * @param clipEpsilon            PPO clip range (0.2)
 * @param advantageEpsilon       eps in {@code (r - mean) / (std + eps)}
 * @param epochsPerBatch         optimisation epochs per batch
 * @param dropZeroVarianceGroups drop zero-variance groups from the update (off, as in the paper)
 * @param maxStaleness           policy versions a group may lag behind and still be trained on (0 = on-policy)
 * @param diversityBonus         multiply advantages by the embedding diversity bonus
 * @param iterations             training iterations
 * @param evaluationSteps        K, self-improvement steps of the evaluation
 * @param warmStart              supervised warm-start of version 0 on the domain's demonstrations; null = the
 *                               default (on for from-scratch presets, off for checkpoint directories)
 * @param maxIterations          budget: acknowledged training batches after which the task space completes the
 *                               experiment; null = no budget (the trainer still stops at {@code iterations} versions)
 * @param maxTokens              budget: tokens trained (as the trainer reports them) after which the task space
 *                               completes the experiment; null = no budget
 */
public record ExperimentConfig(
        String domain,
        Preset preset,
        String model,
        long seed,
        double learningRate,
        int promptsPerBatch,
        int rolloutsPerPrompt,
        double klBeta,
        int refUpdateEvery,
        double refUpdateAlpha,
        int bufferCapacity,
        int bufferMinSize,
        double selectProbability,
        double divergeProbability,
        double kappa,
        SamplerKind sampler,
        double rankTemperature,
        double stalenessMix,
        RewardMode rewardMode,
        ChildPolicy childPolicy,
        double clipEpsilon,
        double advantageEpsilon,
        int epochsPerBatch,
        boolean dropZeroVarianceGroups,
        int maxStaleness,
        boolean diversityBonus,
        int iterations,
        int evaluationSteps,
        Boolean warmStart,
        Integer maxIterations,
        Long maxTokens) {

    /**
     * Paper defaults for {@code domain} under {@code preset} (spec hyperparameter table; see
     * {@link DomainDefaults} for the values and for what we chose where the paper is silent).
     */
    public static ExperimentConfig defaults(String domain, Preset preset) {
        return DomainDefaults.of(domain, preset);
    }

    /** Whether instances are selected from the buffer (preset flag). */
    public boolean usesBuffer() {
        return preset.useBuffer();
    }

    /** Whether responses become children in the buffer (preset flag). */
    public boolean selfIteration() {
        return preset.selfIteration();
    }

    /** Whether a budget ({@link #maxIterations} or {@link #maxTokens}) is set. */
    public boolean hasBudget() {
        return maxIterations != null || maxTokens != null;
    }

    /** {@code p_div} if the preset has divergence, else 0. */
    public double effectiveDivergeProbability() {
        return preset.divergence() ? divergeProbability : 0;
    }

    /** {@link #rewardMode} or, when null, the domain's default. */
    public RewardMode effectiveRewardMode() {
        if (rewardMode != null) {
            return rewardMode;
        }
        return DomainRegistry.standard()
                .find(domain)
                .map(Domain::defaultRewardMode)
                .orElseGet(() -> RewardMode.defaultFor(domain));
    }

    /** The configured buffer sampler. */
    public BufferSampler bufferSampler() {
        return BufferSampler.of(sampler, kappa, rankTemperature, stalenessMix);
    }

    /** Every violated rule, each with its field and allowed range; empty when the config is valid. */
    public List<Violation> validate() {
        var v = new Checks();
        v.notBlank("domain", domain);
        v.notNull("preset", preset);
        v.notBlank("model", model);
        v.check("learningRate", learningRate > 0 && learningRate < 1, "must be in (0, 1)", learningRate);
        v.check("promptsPerBatch", promptsPerBatch >= 1, "must be >= 1", promptsPerBatch);
        v.check("rolloutsPerPrompt", rolloutsPerPrompt >= 2, "must be >= 2 (GRPO needs a group)", rolloutsPerPrompt);
        v.check("klBeta", klBeta >= 0 && Double.isFinite(klBeta), "must be >= 0 and finite", klBeta);
        v.check("refUpdateEvery", refUpdateEvery >= 1, "must be >= 1", refUpdateEvery);
        v.check("refUpdateAlpha", refUpdateAlpha >= 0 && refUpdateAlpha <= 1, "must be in [0, 1]", refUpdateAlpha);
        v.check("bufferCapacity", bufferCapacity >= 1, "must be >= 1", bufferCapacity);
        v.check(
                "bufferMinSize",
                bufferMinSize >= 1 && bufferMinSize <= bufferCapacity,
                "must be in [1, bufferCapacity = " + bufferCapacity + "]",
                bufferMinSize);
        v.check(
                "selectProbability",
                selectProbability >= 0 && selectProbability <= 1,
                "must be in [0, 1]",
                selectProbability);
        v.check(
                "divergeProbability",
                divergeProbability >= 0 && divergeProbability <= 1,
                "must be in [0, 1]",
                divergeProbability);
        v.check("kappa", kappa > 0 && Double.isFinite(kappa), "must be > 0 and finite", kappa);
        v.notNull("sampler", sampler);
        v.check(
                "rankTemperature",
                rankTemperature > 0 && Double.isFinite(rankTemperature),
                "must be > 0 and finite",
                rankTemperature);
        v.check("stalenessMix", stalenessMix >= 0 && stalenessMix <= 1, "must be in [0, 1]", stalenessMix);
        v.notNull("childPolicy", childPolicy);
        v.check("clipEpsilon", clipEpsilon > 0 && clipEpsilon < 1, "must be in (0, 1)", clipEpsilon);
        v.check(
                "advantageEpsilon",
                advantageEpsilon > 0 && advantageEpsilon < 1,
                "must be in (0, 1)",
                advantageEpsilon);
        v.check("epochsPerBatch", epochsPerBatch >= 1, "must be >= 1", epochsPerBatch);
        v.check("maxStaleness", maxStaleness >= 0, "must be >= 0", maxStaleness);
        v.check("iterations", iterations >= 1, "must be >= 1", iterations);
        v.check("evaluationSteps", evaluationSteps >= 1, "must be >= 1", evaluationSteps);
        v.check("maxIterations", maxIterations == null || maxIterations >= 1, "must be >= 1 or null", maxIterations);
        v.check("maxTokens", maxTokens == null || maxTokens >= 1, "must be >= 1 or null", maxTokens);
        return v.violations;
    }

    /** Collects violations; comparisons are written so that NaN fails them. */
    private static final class Checks {
        final List<Violation> violations = new ArrayList<>();

        void check(String field, boolean ok, String rule, Object value) {
            if (!ok) {
                violations.add(new Violation(field, rule + ", was " + value));
            }
        }

        void notNull(String field, Object value) {
            if (value == null) {
                violations.add(new Violation(field, "is required"));
            }
        }

        void notBlank(String field, String value) {
            if (value == null || value.isBlank()) {
                violations.add(new Violation(field, "is required (non-blank text)"));
            }
        }
    }
}
