package dev.exitrl.task.evaluation;

import dev.exitrl.core.domain.Split;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.task.web.ConflictException;
import dev.exitrl.task.web.FieldError;
import dev.exitrl.task.web.InvalidRequestException;
import dev.exitrl.task.web.NotFoundException;
import dev.exitrl.taskapi.EvaluationStatus;
import dev.exitrl.taskapi.EvaluationSummary;
import dev.exitrl.taskapi.EvaluationView;
import dev.exitrl.taskapi.ResultRow;
import dev.exitrl.taskapi.ResultsAppended;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * K-step self-improvement evaluations: the rollout-service creates one, posts result rows as they come in (an
 * identical re-post is a no-op, so retries are safe) and completes or fails it; people read the per-step summary
 * or the raw rows as CSV.
 *
 * <p>Choices the paper leaves open: {@code Delta_K} is the difference of the per-step means at steps K and 0 (over
 * whatever rows each step has), while net corrections count only (task, sample) pairs that have both steps. Step 0
 * must be a SOLVE and later steps must not be, and a result's base task must be in the evaluation's split, so a
 * mislabelled post is refused rather than silently mixed in.
 */
@Service
public class EvaluationService {
    /** Violations reported per request at most; the rest would only repeat the same mistake. */
    static final int MAX_REPORTED_ERRORS = 50;

    private final JdbcClient jdbc;

    EvaluationService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public EvaluationView create(
            UUID experimentId, long policyVersion, Split split, int steps, int samples, String label) {
        requireExperiment(experimentId);
        return jdbc.sql("""
                        INSERT INTO evaluation (id, experiment_id, policy_version, split, steps, samples, status, label)
                        VALUES (?, ?, ?, ?, ?, ?, 'RUNNING', ?)
                        RETURNING""" + " " + COLUMNS)
                .param(UUID.randomUUID())
                .param(experimentId)
                .param(policyVersion)
                .param(split.name())
                .param(steps)
                .param(samples)
                .param(label)
                .query(VIEW)
                .single();
    }

    @Transactional(readOnly = true)
    public List<EvaluationView> list(UUID experimentId) {
        requireExperiment(experimentId);
        return jdbc.sql("SELECT " + COLUMNS + " FROM evaluation WHERE experiment_id = ? ORDER BY created_at, id")
                .param(experimentId)
                .query(VIEW)
                .list();
    }

    /** How a results post was taken: {@code inserted + unchanged = received}. */

    /**
     * Appends result rows in one transaction holding the evaluation's row lock (so a concurrent complete or a
     * second post of the same rows waits). Rows already stored with the same values are skipped; any stored
     * with other values make the whole post a 409 and nothing is written.
     */
    @Transactional
    public ResultsAppended append(UUID evaluationId, List<ResultRow> rows) {
        EvaluationView evaluation = find(evaluationId, " FOR UPDATE");
        if (evaluation.status() != EvaluationStatus.RUNNING) {
            throw new ConflictException("evaluation " + evaluationId + " is " + evaluation.status()
                    + "; results are accepted only while it is RUNNING");
        }
        validate(evaluation, rows);

        // Collapse exact repeats inside the post (validate() refused repeats with other values).
        var unique = new ArrayList<ResultRow>();
        var firstIndex = new HashMap<RowKey, Integer>();
        for (int i = 0; i < rows.size(); i++) {
            if (firstIndex.putIfAbsent(RowKey.of(rows.get(i)), i) == null) {
                unique.add(rows.get(i));
            }
        }

        Map<RowKey, ResultRow> stored = stored(evaluationId, unique);
        var fresh = new ArrayList<ResultRow>();
        for (ResultRow row : unique) {
            ResultRow before = stored.get(RowKey.of(row));
            if (before == null) {
                fresh.add(row);
            } else if (!sameValues(before, row)) {
                int i = firstIndex.get(RowKey.of(row));
                throw new ConflictException("results[" + i + "] (baseTaskId=" + row.baseTaskId() + ", sample="
                        + row.sample() + ", step=" + row.step() + ") was recorded as " + describe(before)
                        + "; this post says " + describe(row) + ". Recorded results do not change.");
            }
        }
        insert(evaluationId, fresh);
        return new ResultsAppended(rows.size(), fresh.size(), rows.size() - fresh.size());
    }

    @Transactional
    public EvaluationView complete(UUID evaluationId) {
        return close(evaluationId, EvaluationStatus.COMPLETED);
    }

    @Transactional
    public EvaluationView fail(UUID evaluationId) {
        return close(evaluationId, EvaluationStatus.FAILED);
    }

    /** Closing twice the same way is a no-op (a retried call); closing a closed evaluation the other way is a 409. */
    private EvaluationView close(UUID evaluationId, EvaluationStatus target) {
        EvaluationView evaluation = find(evaluationId, " FOR UPDATE");
        if (evaluation.status() == target) {
            return evaluation;
        }
        if (evaluation.status() != EvaluationStatus.RUNNING) {
            throw new ConflictException("evaluation " + evaluationId + " is " + evaluation.status()
                    + " already; it cannot become " + target);
        }
        return jdbc.sql("UPDATE evaluation SET status = ?, completed_at = now() WHERE id = ? RETURNING " + COLUMNS)
                .param(target.name())
                .param(evaluationId)
                .query(VIEW)
                .single();
    }

    /** One snapshot (repeatable read), so the per-step numbers and the totals agree while results stream in. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public EvaluationSummary summary(UUID evaluationId) {
        EvaluationView evaluation = find(evaluationId, "");
        List<EvaluationSummary.StepSummary> perStep = jdbc.sql("""
                        SELECT step, count(*) AS n, avg(quality) AS mean_quality, avg(correct::int) AS accuracy
                          FROM evaluation_result WHERE evaluation_id = ?
                         GROUP BY step ORDER BY step""")
                .param(evaluationId)
                .query((rs, n) -> new EvaluationSummary.StepSummary(
                        rs.getInt("step"), rs.getLong("n"), rs.getDouble("mean_quality"), rs.getDouble("accuracy")))
                .list();
        long[] totals = jdbc.sql("SELECT count(DISTINCT base_task_id), count(*) FROM evaluation_result"
                        + " WHERE evaluation_id = ?")
                .param(evaluationId)
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .single();
        Double deltaK = meanAt(perStep, evaluation.steps()) == null || meanAt(perStep, 0) == null
                ? null
                : meanAt(perStep, evaluation.steps()) - meanAt(perStep, 0);
        long[] corrections = jdbc.sql("""
                        SELECT count(*),
                               count(*) FILTER (WHERE NOT first.correct AND last.correct),
                               count(*) FILTER (WHERE first.correct AND NOT last.correct)
                          FROM evaluation_result first
                          JOIN evaluation_result last
                            ON last.evaluation_id = first.evaluation_id AND last.base_task_id = first.base_task_id
                           AND last.sample = first.sample AND last.step = ?
                         WHERE first.evaluation_id = ? AND first.step = 0""")
                .param(evaluation.steps())
                .param(evaluationId)
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                .single();
        return new EvaluationSummary(
                evaluation,
                totals[0],
                totals[1],
                perStep,
                deltaK,
                corrections[0],
                corrections[1],
                corrections[2],
                corrections[1] - corrections[2]);
    }

    /** Checks that the evaluation exists (so a 404 comes before any output is written). */
    @Transactional(readOnly = true)
    public void requireEvaluation(UUID evaluationId) {
        find(evaluationId, "");
    }

    static final String CSV_HEADER = "base_task_id,task_key,sample,step,step_kind,quality,correct";

    /** Streams every result row as CSV (RFC 4180), ordered by task, sample and step. */
    public void writeCsv(UUID evaluationId, Writer out) {
        try {
            out.write(CSV_HEADER + "\n");
            jdbc.sql("""
                            SELECT r.base_task_id, t.task_key, r.sample, r.step, r.step_kind, r.quality, r.correct
                              FROM evaluation_result r JOIN base_task t ON t.id = r.base_task_id
                             WHERE r.evaluation_id = ?
                             ORDER BY r.base_task_id, r.sample, r.step""").param(evaluationId).query((ResultSet rs) -> {
                try {
                    out.write(rs.getLong(1) + "," + csvField(rs.getString(2)) + "," + rs.getInt(3) + ","
                            + rs.getInt(4) + "," + rs.getString(5) + ","
                            + BigDecimal.valueOf(rs.getDouble(6)).toPlainString() + "," + rs.getBoolean(7)
                            + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String csvField(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    private void validate(EvaluationView evaluation, List<ResultRow> rows) {
        var errors = new ArrayList<FieldError>();
        Map<Long, String> splitOf = new HashMap<>();
        jdbc.sql("SELECT id, split FROM base_task WHERE experiment_id = ? AND id = ANY(?)")
                .param(evaluation.experimentId())
                .param(rows.stream().map(ResultRow::baseTaskId).distinct().toArray(Long[]::new))
                .query((ResultSet rs) -> {
                    splitOf.put(rs.getLong(1), rs.getString(2));
                });
        var seen = new HashMap<RowKey, Integer>();
        for (int i = 0; i < rows.size() && errors.size() < MAX_REPORTED_ERRORS; i++) {
            ResultRow row = rows.get(i);
            String at = "results[" + i + "].";
            String split = splitOf.get(row.baseTaskId());
            if (split == null) {
                errors.add(new FieldError(
                        at + "baseTaskId",
                        "base task " + row.baseTaskId() + " does not belong to experiment "
                                + evaluation.experimentId()));
            } else if (!split.equals(evaluation.split().name())) {
                errors.add(new FieldError(
                        at + "baseTaskId",
                        "base task " + row.baseTaskId() + " is in split " + split + "; this evaluation is on "
                                + evaluation.split()));
            }
            if (row.sample() >= evaluation.samples()) {
                errors.add(new FieldError(
                        at + "sample",
                        "must be in [0, " + (evaluation.samples() - 1) + "] (the evaluation has samples = "
                                + evaluation.samples() + "), was " + row.sample()));
            }
            if (row.step() > evaluation.steps()) {
                errors.add(new FieldError(
                        at + "step",
                        "must be in [0, " + evaluation.steps() + "] (the evaluation has steps = " + evaluation.steps()
                                + "), was " + row.step()));
            }
            if ((row.step() == 0) != (row.stepKind() == StepKind.SOLVE)) {
                errors.add(new FieldError(
                        at + "stepKind",
                        row.step() == 0
                                ? "step 0 is the first answer and must be SOLVE, was " + row.stepKind()
                                : "steps >= 1 revise an earlier answer: one of [IMPROVE, DIVERGE, DEBUG], was SOLVE"));
            }
            Integer earlier = seen.putIfAbsent(RowKey.of(row), i);
            if (earlier != null && !sameValues(rows.get(earlier), row)) {
                errors.add(new FieldError(
                        "results[" + i + "]",
                        "repeats results[" + earlier + "] (same baseTaskId, sample and step) with other values"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private Map<RowKey, ResultRow> stored(UUID evaluationId, List<ResultRow> rows) {
        var stored = new HashMap<RowKey, ResultRow>();
        jdbc.sql("""
                        SELECT r.base_task_id, r.sample, r.step, r.step_kind, r.quality, r.correct
                          FROM evaluation_result r
                          JOIN unnest(?::bigint[], ?::int[], ?::int[]) AS k(base_task_id, sample, step)
                            ON k.base_task_id = r.base_task_id AND k.sample = r.sample AND k.step = r.step
                         WHERE r.evaluation_id = ?""")
                .param(rows.stream().map(ResultRow::baseTaskId).toArray(Long[]::new))
                .param(rows.stream().map(ResultRow::sample).toArray(Integer[]::new))
                .param(rows.stream().map(ResultRow::step).toArray(Integer[]::new))
                .param(evaluationId)
                .query((ResultSet rs) -> {
                    var row = new ResultRow(
                            rs.getLong(1),
                            rs.getInt(2),
                            rs.getInt(3),
                            StepKind.valueOf(rs.getString(4)),
                            rs.getDouble(5),
                            rs.getBoolean(6));
                    stored.put(RowKey.of(row), row);
                });
        return stored;
    }

    /** One statement for the whole post (arrays unnested server-side). */
    private void insert(UUID evaluationId, List<ResultRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO evaluation_result (evaluation_id, base_task_id, sample, step, step_kind, quality, correct)
                        SELECT ?, r.* FROM unnest(?::bigint[], ?::int[], ?::int[], ?::text[], ?::float8[], ?::bool[])
                                      AS r(base_task_id, sample, step, step_kind, quality, correct)""")
                .param(evaluationId)
                .param(rows.stream().map(ResultRow::baseTaskId).toArray(Long[]::new))
                .param(rows.stream().map(ResultRow::sample).toArray(Integer[]::new))
                .param(rows.stream().map(ResultRow::step).toArray(Integer[]::new))
                .param(rows.stream().map(r -> r.stepKind().name()).toArray(String[]::new))
                .param(rows.stream().map(ResultRow::quality).toArray(Double[]::new))
                .param(rows.stream().map(ResultRow::correct).toArray(Boolean[]::new))
                .update();
    }

    private static String describe(ResultRow row) {
        return "{stepKind=" + row.stepKind() + ", quality=" + row.quality() + ", correct=" + row.correct() + "}";
    }

    private static Double meanAt(List<EvaluationSummary.StepSummary> perStep, int step) {
        return perStep.stream()
                .filter(s -> s.step() == step)
                .map(EvaluationSummary.StepSummary::meanQuality)
                .findFirst()
                .orElse(null);
    }

    private EvaluationView find(UUID evaluationId, String lockClause) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM evaluation WHERE id = ?" + lockClause)
                .param(evaluationId)
                .query(VIEW)
                .optional()
                .orElseThrow(() -> new NotFoundException("evaluation", evaluationId));
    }

    private void requireExperiment(UUID experimentId) {
        boolean exists = jdbc.sql("SELECT EXISTS (SELECT 1 FROM experiment WHERE id = ?)")
                .param(experimentId)
                .query(Boolean.class)
                .single();
        if (!exists) {
            throw new NotFoundException("experiment", experimentId);
        }
    }

    private static final String COLUMNS =
            "id, experiment_id, policy_version, split, steps, samples, status, label," + " created_at, completed_at";

    private static final RowMapper<EvaluationView> VIEW = (rs, n) -> new EvaluationView(
            rs.getObject("id", UUID.class),
            rs.getObject("experiment_id", UUID.class),
            rs.getLong("policy_version"),
            Split.valueOf(rs.getString("split")),
            rs.getInt("steps"),
            rs.getInt("samples"),
            EvaluationStatus.valueOf(rs.getString("status")),
            rs.getString("label"),
            instant(rs, "created_at"),
            instant(rs, "completed_at"));

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    /** Identity of a row within an evaluation (the table's primary key). */
    record RowKey(long baseTaskId, int sample, int step) {
        static RowKey of(ResultRow row) {
            return new RowKey(row.baseTaskId(), row.sample(), row.step());
        }
    }

    /** Same recorded values (the key is assumed equal). Qualities compare exactly: float8 round-trips. */
    static boolean sameValues(ResultRow a, ResultRow b) {
        return a.stepKind() == b.stepKind()
                && a.quality().doubleValue() == b.quality().doubleValue()
                && a.correct().booleanValue() == b.correct().booleanValue();
    }
}
