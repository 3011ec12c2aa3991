package dev.exitrl.rollout.evaluation;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.experiment.DomainTrainingOptions;
import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.rollout.engine.BatchResult;
import dev.exitrl.rollout.engine.GroupResult;
import dev.exitrl.rollout.engine.PolicyView;
import dev.exitrl.rollout.engine.RolloutEngine;
import dev.exitrl.rollout.engine.RolloutResult;
import dev.exitrl.rollout.engine.RolloutSlot;
import dev.exitrl.rollout.engine.SamplingSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The paper's evaluation protocol (5.3): on held-out base tasks, n independent chains per task; step 0 answers the
 * task, step k improves the answer of step k-1 with a prompt that shows the request and the latest response only
 * (the domain's {@code renderPrompt(task, IMPROVE, history)}; the history keeps no verifier feedback). All chains of a
 * step go into one batched generate call (through {@link RolloutEngine}), so a step costs one call.
 *
 * <p>Choices: the chains sample with the worker's sampling settings (avg@n needs sampling, the paper does not give
 * its evaluation temperature); each step gets its own seed. {@code correct} is the domain verifier's verdict
 * ({@code Verification.correct}).
 *
 * <p>Per-domain variants (exit-core {@code DomainTrainingOptions}):
 * <ul>
 *   <li>Multi-turn domains (tool use) play each step as an episode under the evaluation limits (every remaining
 *       user turn, up to 60 steps a turn); step k revises the latest turn of the chain's trajectory.
 *   <li>Greedy search (MLE, the paper's scaffold, as exit-core's {@code GreedySearch}): step k revises the best
 *       response so far, as a {@code DEBUG} step when that one failed to run ({@code Domain.attemptFailed}) and as
 *       an {@code IMPROVE} step otherwise; a step's response replaces the best only when it scores strictly higher.
 *       The row of step k reports the best so far (quality and correctness), the curve the paper plots, with the
 *       kind the step was asked to do.
 * </ul>
 */
public final class EvaluationRunner {
    private final RolloutEngine engine;

    public EvaluationRunner(RolloutEngine engine) {
        this.engine = engine;
    }

    /**
     * Runs K+1 steps of n chains per task and hands each step's rows to {@code perStep} as soon as the step is done.
     *
     * @return every row: tasks x samples x (steps + 1)
     */
    public List<EvaluationRow> run(
            PolicyView policy,
            Domain domain,
            List<BaseTask> tasks,
            int steps,
            int samples,
            SamplingSettings sampling,
            Consumer<List<EvaluationRow>> perStep) {
        if (steps < 0 || samples < 1) {
            throw new IllegalArgumentException("need steps >= 0 and samples >= 1, got " + steps + ", " + samples);
        }
        DomainTrainingOptions options = DomainTrainingOptions.of(domain.id());
        boolean greedy = options.greedySearchEvaluation();
        int chains = tasks.size() * samples;
        History[] history = new History[chains];
        double[] quality = new double[chains];
        boolean[] correct = new boolean[chains];
        List<EvaluationRow> all = new ArrayList<>(chains * (steps + 1));

        // Step 0: one group of n samples per task.
        List<RolloutSlot> first = new ArrayList<>(tasks.size());
        for (int t = 0; t < tasks.size(); t++) {
            BaseTask task = tasks.get(t);
            first.add(new RolloutSlot(
                    t,
                    task,
                    StepKind.SOLVE,
                    History.empty(),
                    domain.renderPrompt(task, StepKind.SOLVE, History.empty()),
                    null,
                    samples));
        }
        List<EvaluationRow> rows = new ArrayList<>(chains);
        for (GroupResult group :
                rollOut(first, domain, policy, sampling, 0, options).groups()) {
            for (int s = 0; s < samples; s++) {
                RolloutResult r = group.rollouts().get(s);
                int chain = group.slot() * samples + s;
                history[chain] = r.history();
                quality[chain] = r.quality();
                correct[chain] = r.correct();
                rows.add(new EvaluationRow(group.slot(), s, 0, StepKind.SOLVE, r.quality(), r.correct()));
            }
        }
        emit(rows, all, perStep);

        // Step k: every chain improves its latest response.
        for (int k = 1; k <= steps; k++) {
            List<RolloutSlot> slots = new ArrayList<>(chains);
            StepKind[] kinds = new StepKind[chains];
            for (int c = 0; c < chains; c++) {
                BaseTask task = tasks.get(c / samples);
                kinds[c] = greedy && domain.attemptFailed(history[c].latest()) ? StepKind.DEBUG : StepKind.IMPROVE;
                slots.add(new RolloutSlot(
                        c, task, kinds[c], history[c], domain.renderPrompt(task, kinds[c], history[c]), quality[c], 1));
            }
            rows = new ArrayList<>(chains);
            for (GroupResult group :
                    rollOut(slots, domain, policy, sampling, k, options).groups()) {
                int c = group.slot();
                RolloutResult r = group.rollouts().get(0);
                if (!greedy || r.quality() > quality[c]) {
                    history[c] = r.history();
                    quality[c] = r.quality();
                    correct[c] = r.correct();
                }
                double reported = greedy ? quality[c] : r.quality();
                boolean right = greedy ? correct[c] : r.correct();
                rows.add(new EvaluationRow(c / samples, c % samples, k, kinds[c], reported, right));
            }
            emit(rows, all, perStep);
        }
        return all;
    }

    private BatchResult rollOut(
            List<RolloutSlot> slots,
            Domain domain,
            PolicyView policy,
            SamplingSettings sampling,
            int step,
            DomainTrainingOptions options) {
        // The reward mode does not matter here: only qualities are recorded.
        return engine.run(
                slots, domain, RewardMode.ABSOLUTE, false, policy, sampling.forBatch(step), options.evaluationLimits());
    }

    private static void emit(List<EvaluationRow> rows, List<EvaluationRow> all, Consumer<List<EvaluationRow>> sink) {
        all.addAll(rows);
        sink.accept(List.copyOf(rows));
    }
}
