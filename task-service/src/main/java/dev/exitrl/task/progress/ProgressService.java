package dev.exitrl.task.progress;

import dev.exitrl.core.experiment.ExperimentConfig;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.task.evaluation.EvaluationService;
import dev.exitrl.task.space.ExperimentLocks;
import dev.exitrl.taskapi.EvaluationSummary;
import dev.exitrl.taskapi.ExperimentProgress;
import dev.exitrl.taskapi.ExperimentStatus;
import java.sql.ResultSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The progress view of one experiment. It reads one snapshot (repeatable read) without the experiment lock, from
 * counters the submit and acknowledge transactions keep on the experiment row and from small indexed queries, so a
 * dashboard polling it never blocks leases or submits.
 *
 * <p>Choices (the paper reports none of these live): rewards and qualities by step kind are means over the most
 * recent {@value ExperimentProgress#RECENT_GROUPS} submitted groups (groups of one experiment all have G rollouts,
 * so the mean of group means is the mean over rollouts); the rollout token rate is the tokens submitted in the last
 * {@value ExperimentProgress#RATE_WINDOW_SECONDS} s over that window (or over the time since the first submit, if
 * shorter, at least 1 s); the train token rate divides the tokens by the training seconds the trainer reported for its
 * most recent {@value ExperimentProgress#RECENT_ACKS} batches; the ETA extrapolates the wall-clock rate of those
 * acknowledgements (iterations, and tokens trained, per second between the first and the last) to whichever budget
 * is reached first.
 */
@Service
public class ProgressService {
    private final JdbcClient jdbc;
    private final ExperimentLocks locks;
    private final EvaluationService evaluations;

    ProgressService(JdbcClient jdbc, ExperimentLocks locks, EvaluationService evaluations) {
        this.jdbc = jdbc;
        this.locks = locks;
        this.evaluations = evaluations;
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public ExperimentProgress of(UUID experimentId) {
        var experiment = locks.read(experimentId);
        ExperimentConfig config = experiment.config();
        record Row(String name, long tokensGenerated, long tokensTrained, long iterations) {}
        Row row = jdbc.sql("SELECT name, tokens_generated, tokens_trained, iterations FROM experiment WHERE id = ?")
                .param(experimentId)
                .query((rs, n) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .single();

        Map<StepKind, Double> meanReward = new EnumMap<>(StepKind.class);
        Map<StepKind, Double> meanQuality = new EnumMap<>(StepKind.class);
        jdbc.sql("""
                        SELECT step_kind, avg(mean_reward), avg(mean_quality)
                          FROM (SELECT step_kind, mean_reward, mean_quality FROM rollout_group
                                 WHERE experiment_id = ? ORDER BY created_at DESC, id DESC LIMIT ?) recent
                         WHERE mean_reward IS NOT NULL
                         GROUP BY step_kind""")
                .param(experimentId)
                .param(ExperimentProgress.RECENT_GROUPS)
                .query((ResultSet rs) -> {
                    StepKind kind = StepKind.valueOf(rs.getString(1));
                    meanReward.put(kind, rs.getDouble(2));
                    meanQuality.put(kind, rs.getDouble(3));
                });

        Map<Integer, Long> depthHistogram = new LinkedHashMap<>();
        jdbc.sql("SELECT depth, count(*) FROM task_instance WHERE experiment_id = ? AND in_buffer"
                        + " GROUP BY depth ORDER BY depth")
                .param(experimentId)
                .query((ResultSet rs) -> {
                    depthHistogram.put(rs.getInt(1), rs.getLong(2));
                });
        long bufferSize =
                depthHistogram.values().stream().mapToLong(Long::longValue).sum();
        long queueDepth = jdbc.sql("SELECT count(*) FROM training_queue WHERE experiment_id = ? AND state = 'READY'")
                .param(experimentId)
                .query(Long.class)
                .single();

        double rolloutRate = rolloutTokensPerSecond(experimentId);
        var acks = recentAcks(experimentId);
        double trainRate = acks.trainSeconds() > 0 ? acks.trainTokens() / acks.trainSeconds() : 0;

        ExperimentProgress.Budget budget =
                config.hasBudget() ? new ExperimentProgress.Budget(config.maxIterations(), config.maxTokens()) : null;
        Double fractionDone = null;
        Long eta = null;
        if (budget != null) {
            double done = 0;
            if (config.maxIterations() != null) {
                done = Math.max(done, (double) row.iterations() / config.maxIterations());
            }
            if (config.maxTokens() != null) {
                done = Math.max(done, (double) row.tokensTrained() / config.maxTokens());
            }
            fractionDone = Math.min(1.0, done);
            if (experiment.status() == ExperimentStatus.RUNNING && fractionDone < 1.0) {
                eta = eta(config, row.iterations(), row.tokensTrained(), acks);
            }
        }

        return new ExperimentProgress(
                experimentId,
                row.name(),
                experiment.status(),
                row.iterations(),
                experiment.policyVersion(),
                row.tokensGenerated(),
                row.tokensTrained(),
                meanReward,
                meanQuality,
                bufferSize,
                depthHistogram,
                queueDepth,
                rolloutRate,
                trainRate,
                latestEvaluation(experimentId),
                budget,
                fractionDone,
                eta);
    }

    private double rolloutTokensPerSecond(UUID experimentId) {
        // Both from the database clock, so the service's clock never enters.
        record Window(long tokens, Double sinceFirstSubmit) {}
        Window window = jdbc.sql("""
                        SELECT (SELECT coalesce(sum(generated_tokens), 0) FROM rollout_group
                                 WHERE experiment_id = ? AND created_at > now() - make_interval(secs => ?)),
                               (SELECT extract(epoch FROM now() - created_at)::float8 FROM rollout_group
                                 WHERE experiment_id = ? ORDER BY created_at LIMIT 1)""")
                .param(experimentId)
                .param(ExperimentProgress.RATE_WINDOW_SECONDS)
                .param(experimentId)
                .query((rs, n) -> new Window(rs.getLong(1), (Double) rs.getObject(2)))
                .single();
        if (window.tokens() == 0 || window.sinceFirstSubmit() == null) {
            return 0;
        }
        double span = Math.max(1.0, Math.min(ExperimentProgress.RATE_WINDOW_SECONDS, window.sinceFirstSubmit()));
        return window.tokens() / span;
    }

    /**
     * The most recent acknowledgements: the trainer's reported tokens and seconds (for its token rate), and the
     * wall-clock span from the first to the last with the iterations and tokens acknowledged after the first (for the
     * ETA).
     */
    record Acks(int count, long trainTokens, double trainSeconds, double spanSeconds, long tokensAfterFirst) {}

    private Acks recentAcks(UUID experimentId) {
        return jdbc.sql("""
                        SELECT count(*),
                               coalesce(sum(tokens_trained) FILTER (WHERE train_seconds > 0), 0),
                               coalesce(sum(train_seconds) FILTER (WHERE tokens_trained IS NOT NULL), 0),
                               coalesce(extract(epoch FROM max(acked_at) - min(acked_at))::float8, 0),
                               coalesce(sum(tokens_trained) FILTER (WHERE rn > 1), 0)
                          FROM (SELECT tokens_trained, train_seconds, acked_at,
                                       row_number() OVER (ORDER BY acked_at) AS rn
                                  FROM (SELECT * FROM training_ack WHERE experiment_id = ?
                                         ORDER BY acked_at DESC LIMIT ?) last) recent""")
                .param(experimentId)
                .param(ExperimentProgress.RECENT_ACKS)
                .query((rs, n) ->
                        new Acks(rs.getInt(1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5)))
                .single();
    }

    /** Seconds until the first budget is reached at the recent rate; null while no rate is known. */
    static Long eta(ExperimentConfig config, long iterations, long tokensTrained, Acks acks) {
        if (acks.count() < 2 || acks.spanSeconds() <= 0) {
            return null;
        }
        double best = Double.POSITIVE_INFINITY;
        if (config.maxIterations() != null) {
            double perSecond = (acks.count() - 1) / acks.spanSeconds();
            best = Math.min(best, Math.max(0, config.maxIterations() - iterations) / perSecond);
        }
        if (config.maxTokens() != null && acks.tokensAfterFirst() > 0) {
            double perSecond = acks.tokensAfterFirst() / acks.spanSeconds();
            best = Math.min(best, Math.max(0, config.maxTokens() - tokensTrained) / perSecond);
        }
        return Double.isFinite(best) ? (long) Math.ceil(best) : null;
    }

    private ExperimentProgress.LatestEvaluation latestEvaluation(UUID experimentId) {
        return jdbc.sql("SELECT id FROM evaluation WHERE experiment_id = ? ORDER BY created_at DESC, id LIMIT 1")
                .param(experimentId)
                .query(UUID.class)
                .optional()
                .map(evaluations::summary)
                .map(ProgressService::latest)
                .orElse(null);
    }

    private static ExperimentProgress.LatestEvaluation latest(EvaluationSummary summary) {
        List<Double> perStep = summary.perStep().stream()
                .map(EvaluationSummary.StepSummary::meanQuality)
                .toList();
        var e = summary.evaluation();
        return new ExperimentProgress.LatestEvaluation(
                e.id(), e.policyVersion(), e.status(), perStep, summary.deltaK());
    }
}
