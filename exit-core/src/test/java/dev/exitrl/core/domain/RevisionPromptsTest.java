package dev.exitrl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.Turn;
import org.junit.jupiter.api.Test;

/** Revision prompts show the request and the current response, never the verifier's verdict (appendix B). */
class RevisionPromptsTest {
    @Test
    void anImprovePromptForAWrongMathAttemptHoldsNoVerifierText() {
        var math = DomainRegistry.standard().get("math");
        var task = math.generate(new GeneratorSpec(3, 1, 1, 0)).train().get(0);
        String wrong = "I think it is 123456789.\nAnswer: 123456789";
        var verdict = math.verify(task, wrong);
        assertThat(verdict.quality()).isZero();
        assertThat(verdict.feedback()).isNotBlank();
        // The verifier's feedback is kept in the history, as a worker submits it...
        var history = History.of(new Turn(wrong, 1, verdict.feedback()));

        for (StepKind kind : new StepKind[] {StepKind.IMPROVE, StepKind.DIVERGE}) {
            String prompt = math.renderPrompt(task, kind, history);
            // ...and yet the prompt shows the request and the attempt only.
            assertThat(prompt).contains(task.problem()).contains("123456789");
            assertThat(prompt).doesNotContain(verdict.feedback().strip());
            assertThat(prompt.toLowerCase()).doesNotContain("not correct").doesNotContain("feedback");
        }
    }

    @Test
    void countdownRevisionsHideTheVerdictToo() {
        var countdown = DomainRegistry.standard().get("countdown");
        var task = countdown.generate(new GeneratorSpec(4, 1, 1, 0)).train().get(0);
        var verdict = countdown.verify(task, "Answer: 1 + 1");
        var history = History.of(new Turn("Answer: 1 + 1", 1, verdict.feedback()));
        assertThat(countdown.renderPrompt(task, StepKind.IMPROVE, history))
                .doesNotContain(verdict.feedback().strip());
    }

    @Test
    void aDebugStepShowsTheErrorAndADomainCanOptIntoFeedback() {
        var history = History.of(new Turn("run it", 1, "Traceback: division by zero"));
        assertThat(RevisionPrompts.render("P", "Answer:", StepKind.DEBUG, history))
                .contains("division by zero");
        assertThat(RevisionPrompts.render("P", "Answer:", StepKind.IMPROVE, history))
                .doesNotContain("division by zero");
        assertThat(RevisionPrompts.render("P", "Answer:", StepKind.IMPROVE, history, RevisionPrompts.Feedback.SHOWN))
                .contains("division by zero");
    }
}
