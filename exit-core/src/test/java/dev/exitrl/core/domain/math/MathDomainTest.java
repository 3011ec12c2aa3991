package dev.exitrl.core.domain.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.domain.BaseTask;
import dev.exitrl.core.domain.GeneratorSpec;
import dev.exitrl.core.domain.Split;
import dev.exitrl.core.domain.TaskImportException;
import dev.exitrl.core.domain.TaskJson;
import dev.exitrl.core.domain.Verification;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class MathDomainTest {
    private final MathDomain math = new MathDomain();

    private static BaseTask task(String answer) {
        ObjectNode data = TaskJson.mapper().createObjectNode();
        data.put("answer", answer);
        return new BaseTask("math", "math-t", Split.TRAIN, "What is it?", data);
    }

    @Test
    void rightAnswersInAnyFormatScoreOne() {
        BaseTask half = task("\\frac{1}{2}");
        for (String response : List.of(
                "So $x = \\boxed{\\dfrac{1}{2}}$.",
                "Answer: 0.5", "Final answer: 1/2.", "2/4 wrong... no: \\boxed{\\left(\\frac12\\right)}")) {
            Verification v = math.verify(half, response);
            assertThat(v.quality()).as(response).isEqualTo(1.0);
            assertThat(v.correct()).isTrue();
        }
        assertThat(math.verify(task("18"), "It costs \\boxed{\\$18.00}").correct())
                .isTrue();
    }

    @Test
    void symbolicDecimalAndIntervalAnswersAreComparedByValue() {
        assertThat(math.verify(task("(x+1)^2"), "Expanding, \\boxed{x^2+2x+1}").correct())
                .isTrue();
        assertThat(math.verify(task("(x+1)^2"), "\\boxed{x^2+1}").correct()).isFalse();
        assertThat(math.verify(task("\\frac{1}{3}"), "\\boxed{0.333333}").correct())
                .isTrue();
        assertThat(math.verify(task("\\frac{1}{3}"), "\\boxed{0.33}").correct()).isFalse();
        assertThat(math.verify(task("1<x<2"), "so \\boxed{(1,2)}").correct()).isTrue();
        assertThat(math.verify(task("5"), "\\boxed{1, 2, 3, 4, 5}").correct()).isFalse();
    }

    @Test
    void pathologicalResponsesScoreZeroInBoundedTime() {
        String huge = "x".repeat(100_000) + " \\boxed{" + "(".repeat(5_000) + "1" + ")".repeat(5_000) + "}";
        long start = System.nanoTime();
        Verification v = math.verify(task("1"), huge);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(v.quality()).isZero();
        assertThat(millis).isLessThan(2_000);
    }

    @Test
    void wrongAnswersScoreZeroAndSayWhatWasRead() {
        Verification v = math.verify(task("\\frac{1}{2}"), "The answer is \\boxed{\\frac{1}{3}}");
        assertThat(v.quality()).isZero();
        assertThat(v.correct()).isFalse();
        assertThat(v.parsedAnswer()).isEqualTo("\\frac{1}{3}");
        assertThat(v.feedback()).contains("\\frac{1}{3}").contains("not correct");
    }

    @Test
    void malformedResponsesScoreZeroWithAReason() {
        for (String response : List.of("the answer is one half", "\\boxed{1/2", "Answer:")) {
            Verification v = math.verify(task("1/2"), response);
            assertThat(v.quality()).as(response).isZero();
            assertThat(v.parsedAnswer()).isNull();
            assertThat(v.feedback()).contains("No final answer");
        }
    }

    @Test
    void importsMathAndGsm8kStyleLines() {
        String jsonl = """
                {"problem": "Find $1+1$.", "answer": "2", "solution": "$1+1=2$", "level": "Level 1", "subject": "Algebra"}

                {"problem": "How many eggs?", "answer": 18, "level": 3}
                {"problem": "Find $1+1$.", "answer": "2"}
                """;
        List<BaseTask> tasks = math.importJsonl(new StringReader(jsonl), Split.TEST);
        assertThat(tasks).hasSize(2); // the repeated problem is kept once
        assertThat(tasks.get(0).split()).isEqualTo(Split.TEST);
        assertThat(tasks.get(0).data().get("subject").stringValue()).isEqualTo("Algebra");
        assertThat(tasks.get(1).data().get("answer").stringValue()).isEqualTo("18");
        assertThat(tasks.get(1).data().get("level").asString()).isEqualTo("3");
        assertThat(math.verify(tasks.get(1), "Answer: 18 eggs").correct()).isTrue();
        // re-importing gives the same ids
        assertThat(math.importJsonl(new StringReader(jsonl), Split.TEST))
                .extracting(BaseTask::id)
                .isEqualTo(tasks.stream().map(BaseTask::id).toList());
    }

    @Test
    void anyInvalidLineImportsNothingAndEveryBadLineIsNamed() {
        String jsonl = """
                {"problem": "ok", "answer": "1"}
                {"problem": "no answer"}
                not json
                {"problem": "", "answer": "3"}
                {"problem": "p", "answer": "4", "subject": 7}
                [1, 2]
                """;
        assertThatThrownBy(() -> math.importJsonl(new StringReader(jsonl), Split.TRAIN))
                .isInstanceOfSatisfying(TaskImportException.class, e -> {
                    assertThat(e.errors())
                            .extracting(TaskImportException.LineError::line)
                            .containsExactly(2L, 3L, 4L, 5L, 6L);
                    assertThat(e.getMessage())
                            .contains(
                                    "line 2: field 'answer'",
                                    "line 3: not valid JSON",
                                    "line 4: field 'problem'",
                                    "line 5: field 'subject'",
                                    "line 6: expected a JSON object",
                                    "nothing imported");
                });
    }

    @Test
    void generatedProblemsCoverEveryFamilyWithIntegerAndFractionAnswers() {
        List<BaseTask> tasks = math.generate(new GeneratorSpec(4, 4, 200, 0)).train();
        assertThat(tasks)
                .extracting(t -> t.data().get("family").stringValue())
                .contains("arithmetic", "equation", "word");
        assertThat(tasks).anyMatch(t -> t.data().get("answer").stringValue().contains("\\frac"));
        assertThat(tasks).anyMatch(t -> t.data().get("answer").stringValue().matches("-?\\d+"));
        // easy arithmetic stays in the integers
        assertThat(math.generate(new GeneratorSpec(4, 1, 100, 0)).train())
                .filteredOn(t -> t.data().get("family").stringValue().equals("arithmetic"))
                .allSatisfy(
                        t -> assertThat(t.data().get("answer").stringValue()).matches("-?\\d+"));
    }
}
