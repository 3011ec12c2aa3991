package dev.exitrl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.task.History;
import dev.exitrl.core.task.StepKind;
import dev.exitrl.core.task.TaskInstance;
import dev.exitrl.core.task.Turn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** What every built-in domain promises through the SPI. */
class DomainContractTest {
    /** Domains whose revision prompts show the request and the current response only (no verifier feedback). */
    static Stream<Domain> domains() {
        return DomainRegistry.builtIn().all().stream();
    }

    @ParameterizedTest
    @MethodSource("domains")
    void sameSeedGivesTheSameTasks(Domain domain) {
        for (int difficulty = 1; difficulty <= GeneratorSpec.MAX_DIFFICULTY; difficulty++) {
            TaskSplits a = domain.generate(new GeneratorSpec(7, difficulty, 40, 20));
            TaskSplits b = domain.generate(new GeneratorSpec(7, difficulty, 40, 20));
            assertThat(a).isEqualTo(b);
            assertThat(a.train())
                    .hasSize(40)
                    .allSatisfy(t -> assertThat(t.split()).isEqualTo(Split.TRAIN));
            assertThat(a.test())
                    .hasSize(20)
                    .allSatisfy(t -> assertThat(t.split()).isEqualTo(Split.TEST));
            assertThat(a.train()).allSatisfy(t -> assertThat(t.domain()).isEqualTo(domain.id()));
        }
        TaskSplits other = domain.generate(new GeneratorSpec(8, 3, 40, 20));
        assertThat(other.train())
                .isNotEqualTo(domain.generate(new GeneratorSpec(7, 3, 40, 20)).train());
    }

    @ParameterizedTest
    @MethodSource("domains")
    void trainAndTestNeverShareATask(Domain domain) {
        for (int difficulty = 1; difficulty <= GeneratorSpec.MAX_DIFFICULTY; difficulty++) {
            TaskSplits s = domain.generate(new GeneratorSpec(11, difficulty, 300, 100));
            Set<String> trainIds = new HashSet<>();
            Set<String> trainProblems = new HashSet<>();
            s.train().forEach(t -> {
                trainIds.add(t.id());
                trainProblems.add(t.problem());
            });
            assertThat(trainIds).hasSize(300); // no duplicates inside a split either
            assertThat(s.test())
                    .extracting(BaseTask::id)
                    .doesNotHaveDuplicates()
                    .noneMatch(trainIds::contains);
            assertThat(s.test()).extracting(BaseTask::problem).noneMatch(trainProblems::contains);
        }
    }

    @ParameterizedTest
    @MethodSource("domains")
    void testSplitDoesNotDependOnTheTrainCount(Domain domain) {
        assertThat(domain.generate(new GeneratorSpec(5, 2, 10, 15)).test())
                .isEqualTo(domain.generate(new GeneratorSpec(5, 2, 90, 15)).test());
    }

    @ParameterizedTest
    @MethodSource("domains")
    void generatedTasksAndHistoriesRoundTripThroughJson(Domain domain) {
        for (BaseTask task : domain.generate(new GeneratorSpec(3, 4, 20, 5)).train()) {
            String json = TaskJson.toJson(task);
            assertThat(TaskJson.baseTaskFromJson(json)).isEqualTo(task);
        }
        History history = History.of(new Turn("first \"try\"\n\\boxed{3}", 1, "off by one"))
                .withLatest(Turn.of("second", 2))
                .withNextTurn(new Turn("turn 2", 1, null));
        assertThat(TaskJson.historyFromJson(TaskJson.toJson(history))).isEqualTo(history);
        assertThat(TaskJson.historyFromJson(TaskJson.toJson(History.empty()))).isEqualTo(History.empty());
        BaseTask task = domain.generate(new GeneratorSpec(3, 1, 1, 0)).train().get(0);
        TaskInstance instance = new TaskInstance(task.ref(), 2, history);
        assertThat(TaskJson.instanceFromJson(TaskJson.toJson(instance))).isEqualTo(instance);
    }

    @ParameterizedTest
    @MethodSource("domains")
    void recordedSolutionOfEveryGeneratedTaskIsCorrect(Domain domain) {
        for (int difficulty = 1; difficulty <= GeneratorSpec.MAX_DIFFICULTY; difficulty++) {
            // an MLE verification fits models; two competitions per level keep the suite fast
            int count = domain.id().equals("mle") ? 2 : 60;
            for (BaseTask task :
                    domain.generate(new GeneratorSpec(21, difficulty, count, 0)).train()) {
                String response = recordedSolution(domain, task);
                Verification v = domain.verify(task, response);
                assertThat(v.correct()).as(task.problem() + "\n" + response).isTrue();
                assertThat(v.quality()).isEqualTo(1.0);
            }
        }
    }

    /**
     * The response that the task's recorded solution stands for: math records the answer and a worked solution;
     * countdown an expression; mle the reference pipeline; tool use the ground-truth calls of every turn (a transcript: one call block per call,
     * turns separated by the end-of-turn marker).
     */
    static String recordedSolution(Domain domain, BaseTask task) {
        return switch (domain.id()) {
            case "math" ->
                task.data().get("solution").stringValue() + "\n\\boxed{"
                        + task.data().get("answer").stringValue() + "}";
            case "tool-use" -> {
                List<String> turns = new ArrayList<>();
                for (JsonNode turn : task.data().get("turns")) {
                    StringBuilder t = new StringBuilder();
                    turn.get("calls")
                            .forEach(c -> t.append("<tool_call>").append(c).append("</tool_call>\n"));
                    turns.add(t.append("Done.").toString());
                }
                yield String.join("\n<turn_done>\n", turns);
            }
            case "mle" -> "```pipeline\n" + task.data().get("reference").stringValue() + "\n```";
            default -> "Answer: " + task.data().get("solution").stringValue();
        };
    }

    @ParameterizedTest
    @MethodSource("domains")
    void demonstrationsAreVerifiableAndTheirQualityIsTheVerifiers(Domain domain) {
        List<Demonstration> demos = domain.demonstrations(99, 60);
        assertThat(demos).hasSize(60);
        assertThat(demos).isEqualTo(domain.demonstrations(99, 60));
        for (Demonstration d : demos) {
            assertThat(domain.parseAnswer(d.response())).as(d.response()).isNotNull();
            assertThat(d.quality())
                    .isEqualTo(domain.verify(d.task(), d.response()).quality());
            assertThat(d.prompt()).isEqualTo(domain.renderPrompt(d.task(), d.kind(), d.history()));
        }
        assertThat(demos).extracting(Demonstration::kind).contains(StepKind.values());
        // imperfect first attempts exist, and revisions of them reach quality 1
        assertThat(demos).anyMatch(d -> d.kind() == StepKind.SOLVE && d.quality() < 1.0);
        assertThat(demos).anyMatch(d -> d.kind() == StepKind.SOLVE && d.quality() == 1.0);
        assertThat(demos)
                .filteredOn(d -> d.kind().isSelfIteration())
                .anyMatch(d -> d.quality() == 1.0
                        && domain.verify(d.task(), d.history().latest().response())
                                        .quality()
                                < 1.0);
    }

    @ParameterizedTest
    @MethodSource("domains")
    void revisionPromptsShowTheLatestAttemptButNoVerdict(Domain domain) {
        BaseTask task = domain.generate(new GeneratorSpec(1, 2, 1, 0)).train().get(0);
        String solve = domain.renderPrompt(task, StepKind.SOLVE, History.empty());
        assertThat(solve).contains(task.problem());
        History history = History.of(new Turn("OLD ATTEMPT", 1, "SOME FEEDBACK"))
                .withLatest(new Turn("LATEST ATTEMPT", 2, "LATEST FEEDBACK"));
        for (StepKind kind : List.of(StepKind.IMPROVE, StepKind.DIVERGE, StepKind.DEBUG)) {
            String prompt = domain.renderPrompt(task, kind, history);
            assertThat(prompt)
                    .contains(task.problem(), "LATEST ATTEMPT")
                    .doesNotContain("OLD ATTEMPT")
                    .isNotEqualTo(solve);
            // The request and the current response only: the verifier's verdict would make revision
            // self-correction with an oracle. A debug step shows the error trace (tool use has no debug step).
            if (kind == StepKind.DEBUG && !domain.id().equals("tool-use")) {
                assertThat(prompt).contains("LATEST FEEDBACK");
            } else {
                assertThat(prompt).doesNotContain("LATEST FEEDBACK");
            }
        }
        assertThat(domain.renderPrompt(task, StepKind.DIVERGE, history)).contains("different approach");
        assertThat(domain.renderPrompt(task, StepKind.IMPROVE, History.of(Turn.of("X", 1))))
                .doesNotContain("Feedback");
        assertThatThrownBy(() -> domain.renderPrompt(task, StepKind.IMPROVE, History.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> domain.renderPrompt(task, StepKind.SOLVE, history))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("domains")
    void multiTurnDomainsRunEpisodesAndSingleTurnDomainsRefuse(Domain domain) {
        BaseTask task = domain.generate(new GeneratorSpec(2, 1, 1, 0)).train().get(0);
        EpisodeLimits limits = new EpisodeLimits(1, 10);
        if (domain.isMultiTurn()) {
            Episode episode = domain.startEpisode(task, StepKind.SOLVE, History.empty(), limits);
            assertThat(episode.opening())
                    .extracting(ChatMessage::content)
                    .containsExactly(domain.renderPrompt(task, StepKind.SOLVE, History.empty()));
            EnvironmentStep step = episode.step("I cannot help with that.");
            assertThat(step.episodeFinished()).isTrue();
            assertThat(episode.outcome().verification()).isEqualTo(domain.verify(task, "I cannot help with that."));
            assertThat(episode.history().turns())
                    .extracting(Turn::response)
                    .containsExactly("I cannot help with that.");
        } else {
            assertThatThrownBy(() -> domain.startEpisode(task, StepKind.SOLVE, History.empty(), limits))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
        // a turn without feedback never counts as a failed run
        assertThat(domain.attemptFailed(Turn.of("anything", 1))).isFalse();
    }

    @ParameterizedTest
    @MethodSource("domains")
    void emptyAndGarbageResponsesScoreZero(Domain domain) {
        BaseTask task = domain.generate(new GeneratorSpec(1, 1, 1, 0)).train().get(0);
        for (String response : List.of("", "   ", "I don't know.\nSorry.", "\\boxed{", "Answer:")) {
            Verification v = domain.verify(task, response);
            assertThat(v.quality()).as(response).isZero();
            assertThat(v.correct()).isFalse();
            assertThat(v.hasFeedback()).isTrue();
        }
    }
}
