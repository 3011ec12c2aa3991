package dev.exitrl.core.domain;

import dev.exitrl.core.reward.RewardMode;
import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.Turn;
import java.io.Reader;
import java.util.List;

/**
 * Everything task-specific: where base tasks come from, how prompts are rendered for each step kind, how responses
 * are parsed and verified, and what a from-scratch model can be warm-started on. Implementations are stateless and
 * thread-safe. Built-ins are {@code math}, {@code countdown}, {@code tool-use} (multi-turn: see {@link #isMultiTurn})
 * and {@code mle}; more can be added through {@link DomainRegistry} (ServiceLoader, with a public no-argument
 * constructor).
 */
public interface Domain {
    /** The id used in experiments and stored with every task ({@code math}, {@code countdown}, ...). */
    String id();

    /** Version of the generator, prompts and verifier; bump it when any of them changes what a run would see. */
    String version();

    /** The reward mode an experiment uses for this domain unless it says otherwise. */
    RewardMode defaultRewardMode();

    /**
     * Procedurally generated train and test tasks. Same spec, same tasks (ids, order, content); train and test
     * never share content.
     */
    TaskSplits generate(GeneratorSpec spec);

    /** Whether {@link #importJsonl} is available. */
    default boolean supportsImport() {
        return false;
    }

    /**
     * Reads base tasks from JSON lines (one object per line; blank lines are skipped). Either every line is valid
     * and all tasks are returned, or nothing is returned and a {@link TaskImportException} lists the bad lines.
     *
     * @throws UnsupportedOperationException when the domain has no import format
     */
    default List<BaseTask> importJsonl(Reader jsonLines, Split split) {
        throw new UnsupportedOperationException("domain " + id() + " does not import JSONL tasks");
    }

    /**
     * The prompt for one rollout. {@code SOLVE} takes an empty history; the other kinds revise the latest response
     * of a non-empty history and show its feedback when it has one.
     */
    String renderPrompt(BaseTask task, StepKind kind, History history);

    /** The final answer found in a response, or null when the response has none in the expected format. */
    String parseAnswer(String response);

    /** Scores a response to {@code task}: quality in [0, 1], feedback, and the parsed answer. */
    Verification verify(BaseTask task, String response);

    /**
     * {@code n} examples for supervised warm-start, generated from {@code seed}: solve examples and revision
     * examples (improve, diverge, and debug where it applies), including imperfect first attempts. Each recorded
     * quality is what {@link #verify} gives the response.
     */
    List<Demonstration> demonstrations(long seed, int n);

    /**
     * A demonstration of {@code response} for this step: the prompt as {@link #renderPrompt} gives it and the quality
     * as {@link #verify} gives it, so the recorded quality is the verifier's by construction.
     */
    default Demonstration demonstrate(BaseTask task, StepKind kind, History history, String response) {
        return new Demonstration(
                task,
                kind,
                history,
                renderPrompt(task, kind, history),
                response,
                verify(task, response).quality());
    }

    /**
     * Whether rollouts of this domain run an environment loop ({@link #startEpisode}) instead of sampling one
     * response. Single-turn domains keep the default {@code false}.
     */
    default boolean isMultiTurn() {
        return false;
    }

    /**
     * Starts the environment loop of one rollout (multi-turn domains only). The turns of {@code history} before the
     * one being revised are replayed silently, so the environment is in the state they left; the model then acts on
     * the current turn ({@code kind == SOLVE}: the first one; otherwise the latest turn of {@code history}, whose
     * response is the attempt being revised) and on later turns as {@code limits} allow.
     *
     * @throws UnsupportedOperationException for single-turn domains
     */
    default Episode startEpisode(BaseTask task, StepKind kind, History history, EpisodeLimits limits) {
        throw new UnsupportedOperationException("domain " + id() + " is single-turn");
    }

    /**
     * Whether {@code latest} (a turn whose response this domain verified, with the verifier's feedback stored in the
     * turn) failed to run at all, so the next revision is a {@link StepKind#DEBUG} step that shows the error. The
     * task space passes this as {@code previousFailed} to {@code StepKindChoice}. Default: never.
     */
    default boolean attemptFailed(Turn latest) {
        return false;
    }
}
