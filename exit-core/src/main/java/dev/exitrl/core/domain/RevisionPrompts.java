package dev.exitrl.core.domain;

import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.Turn;
import java.util.Objects;

/**
 * The step-kind part of a prompt, shared by single-turn domains: the problem, then (for revision kinds) the latest
 * response of the history, then the instruction for the step kind and the domain's answer-format line. The wording
 * is short and plain so that small from-scratch models can learn the format.
 *
 * <p>What a revision prompt shows (exit-algorithm.md, appendix B): IMPROVE and DIVERGE show the request and the
 * current response only, never the verifier's verdict; showing it would be self-correction with an oracle and would
 * inflate every K-step number. A DEBUG step (MLE: the previous attempt failed to run) shows the error trace. A domain
 * whose environment really returns feedback the policy would see at test time can opt in with
 * {@link Feedback#SHOWN}.
 */
public final class RevisionPrompts {
    private RevisionPrompts() {}

    /** Whether IMPROVE and DIVERGE prompts show the latest turn's feedback (DEBUG always shows the error). */
    public enum Feedback {
        HIDDEN,
        SHOWN
    }

    /** A prompt with the paper's default: no feedback in IMPROVE and DIVERGE prompts. */
    public static String render(String problem, String answerInstruction, StepKind kind, History history) {
        return render(problem, answerInstruction, kind, history, Feedback.HIDDEN);
    }

    /**
     * @param problem           the problem block (statement and anything the domain adds)
     * @param answerInstruction one line telling the model how to state its final answer
     * @param feedback          whether IMPROVE and DIVERGE prompts show the latest turn's feedback
     */
    public static String render(
            String problem, String answerInstruction, StepKind kind, History history, Feedback feedback) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(history, "history");
        StringBuilder p = new StringBuilder(problem.strip()).append("\n\n");
        if (kind == StepKind.SOLVE) {
            if (!history.isEmpty()) {
                throw new IllegalArgumentException("a SOLVE prompt takes an empty history");
            }
            return p.append(answerInstruction).toString();
        }
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a " + kind + " prompt needs a previous attempt");
        }
        Turn latest = history.latest();
        p.append("Previous attempt:\n").append(latest.response().strip()).append("\n\n");
        if (kind == StepKind.DEBUG) {
            p.append("The previous attempt failed with this error:\n")
                    .append(latest.hasFeedback() ? latest.feedback().strip() : "(no error message)")
                    .append("\n\n")
                    .append("Find the cause of the error, fix it, and answer again.\n");
        } else {
            if (feedback == Feedback.SHOWN && latest.hasFeedback()) {
                p.append("Feedback on it:\n").append(latest.feedback().strip()).append("\n\n");
            }
            if (kind == StepKind.IMPROVE) {
                p.append("Improve the previous attempt: check it, fix any mistakes, and give a better answer.\n");
            } else {
                p.append("Take a significantly different approach. First state the approach the previous attempt "
                        + "used. Then propose a different approach. Then solve the problem with the new approach.\n");
            }
        }
        return p.append(answerInstruction).toString();
    }
}
