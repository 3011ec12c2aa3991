package dev.exitrl.rollout.engine;

import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.EnvironmentStep;
import dev.exitrl.core.domain.EpisodeLimits;
import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Multi-turn domains (tool use): the domain's environment loop ({@code Domain.startEpisode}) inside one ExIt step.
 * Every step is ONE batched generate call over the rows still running; each row's message goes to its episode's step
 * function, whose observations (tool results, the next user request) are appended to that row's context, and the
 * row goes on until its episode finishes or it runs out of budget. Finished rows drop out of later calls.
 *
 * <p>The rollout's tokens are everything after the prompt: the model's messages and the observations between them.
 * Only the model's tokens are policy tokens ({@link Episode#policyMask()}; observation tokens carry log-prob 0 and
 * are masked out of the loss by the trainer), and the token ids are exactly the context the policy saw, so the
 * trainer's teacher-forced log-probs line up with the behaviour log-probs without re-tokenising.
 *
 * <p>Choices the paper does not make (or deviations from it):
 *
 * <ul>
 *   <li>The context is the prompt's ids, then each message's generated ids as sampled (its final EOS kept as the
 *       end-of-message marker), then the observations. With a checkpoint's chat template the observations are the
 *       template's turns ({@code tool} results, a next {@code user} request) with the closing of the assistant's turn
 *       and its next opening ({@code PolicyView.encodeObservations}); without one (from-scratch presets, plain
 *       checkpoints) they are the text {@code Episode.render} writes, tokenised without special tokens.
 *   <li>Budget per step: one call for all running rows, so its {@code maxNewTokens} is
 *       {@code min(maxNewTokens, maxPositions - longest running context)}. A message cut at that limit (finish
 *       reason {@code length}) is still applied to the environment, but the episode ends there as truncated; so does
 *       an episode whose next observations would not fit in the context, and one the environment cut off at its step
 *       cap ({@code EnvironmentStep.cutOff}). Overlong filtering in the trainer gives truncated rollouts no loss.
 *   <li>Observations after the episode's last message are not appended: no policy token conditions on them.
 *   <li>Step s of a batch samples with seed {@code mix(batch seed, s)}, so steps differ and a batch is reproducible.
 * </ul>
 */
public final class MultiTurnEnvironment implements RolloutEnvironment {
    private final Domain domain;
    private final EpisodeLimits limits;

    public MultiTurnEnvironment(Domain domain, EpisodeLimits limits) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.limits = Objects.requireNonNull(limits, "limits");
        if (!domain.isMultiTurn()) {
            throw new IllegalArgumentException("domain " + domain.id() + " is single-turn");
        }
    }

    @Override
    public List<Episode> play(List<Row> rows, PolicyView policy, SamplingParams params) {
        int maxPositions = policy.maxPositions();
        EpisodePlay[] plays = new EpisodePlay[rows.size()];
        List<Integer> running = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            RolloutSlot slot = rows.get(i).slot();
            plays[i] = new EpisodePlay(
                    domain.startEpisode(slot.task(), slot.stepKind(), slot.history(), limits),
                    rows.get(i).promptIds());
            if (!plays[i].finished()) {
                running.add(i);
            }
        }
        for (int step = 0; !running.isEmpty(); step++) {
            int longest = 0;
            List<long[]> contexts = new ArrayList<>(running.size());
            for (int i : running) {
                longest = Math.max(longest, plays[i].length());
                contexts.add(plays[i].contextIds());
            }
            int budget = Math.min(params.maxNewTokens(), maxPositions - longest);
            if (budget < 1) {
                throw new IllegalStateException("a running episode has no room left in the context");
            }
            List<Generation> generations = policy.generate(
                    contexts, params.withMaxNewTokens(budget).withSeed(SamplingSettings.mix(params.seed(), step)));
            if (generations.size() != running.size()) {
                throw new IllegalStateException("the policy returned " + generations.size() + " generations for "
                        + running.size() + " contexts");
            }
            List<Integer> next = new ArrayList<>(running.size());
            for (int k = 0; k < running.size(); k++) {
                EpisodePlay p = plays[running.get(k)];
                Generation g = generations.get(k);
                EnvironmentStep result = p.message(g);
                boolean cutAtLength = "length".equals(g.finishReason()) || g.tokenIds().length == 0;
                if (result.episodeFinished() || cutAtLength) {
                    p.end(result.cutOff() || cutAtLength);
                    continue;
                }
                long[] observed = policy.encodeObservations(
                        result.observations(), "eos".equals(g.finishReason()), p.render(result.observations()));
                if (p.length() + observed.length >= maxPositions) {
                    p.end(true); // no room for the observations and one more token
                    continue;
                }
                p.observe(observed);
                next.add(running.get(k));
            }
            running = next;
        }
        List<Episode> out = new ArrayList<>(plays.length);
        for (EpisodePlay p : plays) {
            out.add(p.result());
        }
        return out;
    }
}
