package dev.exitrl.core.experiment;

import dev.exitrl.core.buffer.ChildPolicy;
import dev.exitrl.core.sampling.SamplerKind;

/**
 * Default hyperparameters per domain, from the paper's v1 table where it gives them.
 *
 * <ul>
 *   <li>{@code math}: Llama-3.2-3B-Instruct, lr 1e-6, 128 x 8, beta 0.001, M/alpha 100/1.0, N/B_min 512/128,
 *       p 0.5, p_div 0.2, 1 epoch, K = 16.</li>
 *   <li>{@code tool-use}: Qwen2.5-7B-Instruct, lr 1e-6 (grpo, exit) or 5e-7 (others), 16 x 8, beta 0.001 (the
 *       paper sweeps {0, 0.001, 0.01}; we pick the middle), M/alpha 100/1.0, N/B_min 640/320 (curriculum
 *       320/320), p 0.5 (curriculum 0.2), p_div 0.2 (exit 0.5), 2 epochs, K = 4.</li>
 *   <li>{@code mle}: DeepSeek-R1-Distill-Qwen-7B, lr 1e-6, 4 x 8, beta 0.001 (paper: swept; our pick),
 *       M/alpha 100/0.5, N/B_min per preset as the paper gives them: curriculum 3/3, improve 24/8, diverge 32/8,
 *       exit 24/3 (grpo uses no buffer; it keeps exit's 24/3), p 0.5, p_div 0.2 (exit 0.5), 1 epoch, K = 16.</li>
 *   <li>{@code countdown} (our domain, not in the paper): small values for CPU runs: Qwen2.5-0.5B-Instruct,
 *       lr 1e-6, 8 x 8, beta 0.001, M/alpha 100/1.0, N/B_min 64/16, p 0.5, p_div 0.2, 1 epoch, K = 8.</li>
 *   <li>Any other domain id: the math column (with the given domain id).</li>
 * </ul>
 * Trainer options that {@link ExperimentConfig} has no field for (Dr. GRPO, overlong filtering, the episode
 * budgets of multi-turn domains) are in {@link DomainTrainingOptions}.
 *
 * <p>Everywhere (paper silent or fixed): seed 0, kappa 10, softmax sampler, rank temperature 0.1 and staleness
 * mix 0.1 (PLR's defaults), reward mode null (= domain default), children {@code all}, clip 0.2, advantage
 * eps 1e-6, zero-variance groups kept, max staleness 0 (on-policy), diversity bonus as the preset says,
 * 200 iterations (ours: the paper does not state a common number).
 */
final class DomainDefaults {
    private DomainDefaults() {}

    static ExperimentConfig of(String domain, Preset preset) {
        // A null domain gets the generic column; validate() then reports the missing domain.
        return switch (domain == null ? "" : domain) {
            case "tool-use" ->
                build(
                        domain,
                        preset,
                        "Qwen/Qwen2.5-7B-Instruct",
                        preset == Preset.GRPO || preset == Preset.EXIT ? 1e-6 : 5e-7,
                        16,
                        8,
                        1.0,
                        preset == Preset.CURRICULUM ? 320 : 640,
                        320,
                        preset == Preset.CURRICULUM ? 0.2 : 0.5,
                        preset == Preset.EXIT ? 0.5 : 0.2,
                        2,
                        4);
            case "mle" ->
                build(
                        domain,
                        preset,
                        "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
                        1e-6,
                        4,
                        8,
                        0.5,
                        mleBufferCapacity(preset),
                        mleBufferMinSize(preset),
                        0.5,
                        preset == Preset.EXIT ? 0.5 : 0.2,
                        1,
                        16);
            case "countdown" ->
                build(domain, preset, "Qwen/Qwen2.5-0.5B-Instruct", 1e-6, 8, 8, 1.0, 64, 16, 0.5, 0.2, 1, 8);
            default ->
                build(domain, preset, "meta-llama/Llama-3.2-3B-Instruct", 1e-6, 128, 8, 1.0, 512, 128, 0.5, 0.2, 1, 16);
        };
    }

    /** Paper: curriculum 3, improve 24, diverge 32, exit 24; grpo (no buffer) keeps exit's value. */
    private static int mleBufferCapacity(Preset preset) {
        return switch (preset) {
            case CURRICULUM -> 3;
            case DIVERGE -> 32;
            default -> 24;
        };
    }

    /** Paper: curriculum 3, improve 8, diverge 8, exit 3; grpo (no buffer) keeps exit's value. */
    private static int mleBufferMinSize(Preset preset) {
        return switch (preset) {
            case IMPROVE, DIVERGE -> 8;
            default -> 3;
        };
    }

    private static ExperimentConfig build(
            String domain,
            Preset preset,
            String model,
            double learningRate,
            int prompts,
            int rollouts,
            double refAlpha,
            int capacity,
            int minSize,
            double selectP,
            double divergeP,
            int epochs,
            int evalSteps) {
        return new ExperimentConfig(
                domain,
                preset,
                model,
                0L,
                learningRate,
                prompts,
                rollouts,
                0.001,
                100,
                refAlpha,
                capacity,
                minSize,
                selectP,
                divergeP,
                10.0,
                SamplerKind.SOFTMAX,
                0.1,
                0.1,
                null,
                ChildPolicy.ALL,
                0.2,
                1e-6,
                epochs,
                false,
                0,
                preset.diversityBonus(),
                200,
                evalSteps,
                null,
                null,
                null);
    }
}
