package dev.exitrl.rollout.evaluation;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.Domain;
import dev.exitrl.core.domain.DomainRegistry;
import dev.exitrl.core.domain.Split;
import dev.exitrl.rollout.engine.SamplingSettings;
import dev.exitrl.rollout.sync.PolicyHolder;
import dev.exitrl.rollout.worker.PolicyHolders;
import dev.exitrl.taskapi.BaseTaskView;
import dev.exitrl.taskapi.CreateEvaluation;
import dev.exitrl.taskapi.EvaluationView;
import dev.exitrl.taskapi.ExperimentView;
import dev.exitrl.taskapi.Limits;
import dev.exitrl.taskapi.PostResults;
import dev.exitrl.taskapi.ResultRow;
import dev.exitrl.taskapi.TaskSpaceClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClientException;
import org.springframework.web.server.ResponseStatusException;

/**
 * Starts K-step evaluations: checks the request against the experiment, pins the policy version, opens the evaluation
 * record in the task space, and runs {@link EvaluationRunner} in the background, posting each step's rows as soon as
 * the step is done, then completing the record (or failing it on an error).
 *
 * <p>Only the experiment's announced (newest) version can be evaluated: older checkpoints are not announced with a
 * checksum, and this worker loads nothing it cannot check.
 */
@Service
class EvaluationService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EvaluationService.class);

    private final TaskSpaceClient taskSpace;
    private final PolicyHolders policies;
    private final EvaluationRunner runner;
    private final SamplingSettings sampling;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rollout-evaluation");
        t.setDaemon(true);
        return t;
    });

    EvaluationService(
            TaskSpaceClient taskSpace, PolicyHolders policies, EvaluationRunner runner, SamplingSettings sampling) {
        this.taskSpace = taskSpace;
        this.policies = policies;
        this.runner = runner;
        this.sampling = sampling;
    }

    record Started(UUID evaluationId, long policyVersion, Split split, int tasks) {}

    Started start(EvaluationController.StartEvaluation request) throws InterruptedException {
        ExperimentView view = taskSpace.getExperiment(request.experimentId());
        if (!view.hasCheckpoint()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "experiment has no announced policy version yet");
        }
        long version = request.policyVersion() == null ? view.policyVersion() : request.policyVersion();
        if (version != view.policyVersion()) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "only the announced policy version " + view.policyVersion() + " can be evaluated, not " + version);
        }
        PolicyHolder holder;
        try {
            holder = policies.sync(view);
        } catch (IOException e) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_GATEWAY, "policy version " + version + ": " + e.getMessage());
        }
        PolicyHolder.PolicyLease policy = holder.acquire()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.CONFLICT, "no policy loaded"));
        try {
            if (policy.version() != version) {
                throw new ResponseStatusException(
                        HttpStatus.CONFLICT, "policy version " + version + " is not the loaded " + policy.version());
            }
            Split split = request.split() == null ? Split.TEST : request.split();
            List<BaseTaskView> tasks = tasks(request.experimentId(), split, request.limit());
            if (tasks.isEmpty()) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "the experiment has no " + split + " tasks");
            }
            Domain domain = DomainRegistry.standard().get(view.domain());
            EvaluationView evaluation = taskSpace
                    .createEvaluation(
                            request.experimentId(),
                            new CreateEvaluation(version, split, request.steps(), request.samples(), request.label()))
                    .getBody();
            UUID id = evaluation.id();
            executor.execute(() -> run(id, policy, domain, tasks, request.steps(), request.samples()));
            return new Started(id, version, split, tasks.size());
        } catch (RuntimeException e) {
            policy.close();
            throw e;
        }
    }

    private void run(
            UUID evaluation,
            PolicyHolder.PolicyLease policy,
            Domain domain,
            List<BaseTaskView> tasks,
            int steps,
            int samples) {
        try (policy) {
            List<BaseTask> baseTasks = tasks.stream().map(BaseTaskView::task).toList();
            long t0 = System.nanoTime();
            runner.run(policy, domain, baseTasks, steps, samples, sampling, rows -> post(evaluation, tasks, rows));
            taskSpace.completeEvaluation(evaluation);
            log.info(
                    "evaluation {} done: {} tasks x {} samples x {} steps in {} s",
                    evaluation,
                    tasks.size(),
                    samples,
                    steps + 1,
                    (System.nanoTime() - t0) / 1_000_000_000L);
        } catch (RuntimeException e) {
            log.error("evaluation {} failed", evaluation, e);
            try {
                taskSpace.failEvaluation(evaluation);
            } catch (RestClientException f) {
                log.warn("evaluation {} could not be marked failed: {}", evaluation, f.toString());
            }
        }
    }

    /** One step's rows, in posts of at most {@link Limits#MAX_RESULT_ROWS}, with the task space's task row ids. */
    private void post(UUID evaluation, List<BaseTaskView> tasks, List<EvaluationRow> rows) {
        List<ResultRow> wire = new ArrayList<>(rows.size());
        for (EvaluationRow r : rows) {
            wire.add(new ResultRow(
                    tasks.get(r.taskIndex()).id(), r.sample(), r.step(), r.stepKind(), r.quality(), r.correct()));
        }
        for (int from = 0; from < wire.size(); from += Limits.MAX_RESULT_ROWS) {
            taskSpace.postResults(
                    evaluation,
                    new PostResults(wire.subList(from, Math.min(wire.size(), from + Limits.MAX_RESULT_ROWS))));
        }
    }

    /** The split's tasks in the task space's order, at most {@code limit} (null = all). */
    private List<BaseTaskView> tasks(UUID experiment, Split split, Integer limit) {
        List<BaseTaskView> out = new ArrayList<>();
        int wanted = limit == null ? Integer.MAX_VALUE : limit;
        while (out.size() < wanted) {
            int page = Math.min(Limits.MAX_PAGE, wanted - out.size());
            List<BaseTaskView> got = taskSpace.listTasks(experiment, split, out.size(), page);
            out.addAll(got);
            if (got.size() < page) {
                break;
            }
        }
        return out;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
