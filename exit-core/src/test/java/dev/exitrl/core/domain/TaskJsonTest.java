package dev.exitrl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.core.task.History;
import dev.exitrl.core.task.Turn;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class TaskJsonTest {

    @Test
    void baseTaskJsonHasTheDocumentedShape() {
        ObjectNode data = TaskJson.mapper().createObjectNode();
        data.put("answer", "\\frac{1}{2}");
        BaseTask task = new BaseTask("math", "math-abc", Split.TEST, "Half of one?", data);
        String json = TaskJson.toJson(task);
        assertThat(json)
                .isEqualTo("{\"domain\":\"math\",\"id\":\"math-abc\",\"split\":\"test\","
                        + "\"problem\":\"Half of one?\",\"data\":{\"answer\":\"\\\\frac{1}{2}\"}}");
        assertThat(TaskJson.baseTaskFromJson(json)).isEqualTo(task);
    }

    @Test
    void payloadIsCopiedSoTheTaskStaysUnchanged() {
        ObjectNode data = TaskJson.mapper().createObjectNode();
        data.put("answer", "1");
        BaseTask task = new BaseTask("math", "math-abc", Split.TRAIN, "p", data);
        data.put("answer", "2");
        assertThat(task.data().get("answer").stringValue()).isEqualTo("1");
    }

    @Test
    void historyOmitsNullFeedback() {
        History h = History.of(Turn.of("a", 1));
        assertThat(TaskJson.toJson(h)).isEqualTo("{\"turns\":[{\"response\":\"a\",\"iterate\":1}]}");
    }

    @Test
    void malformedJsonNamesTheField() {
        assertThatThrownBy(() -> TaskJson.baseTaskFromJson(
                        "{\"domain\":\"math\",\"id\":\"x\",\"split\":\"dev\"," + "\"problem\":\"p\",\"data\":{}}"))
                .hasMessageContaining("split must be one of [train, test]");
        assertThatThrownBy(() -> TaskJson.baseTaskFromJson("{\"domain\":\"math\",\"split\":\"train\"}"))
                .hasMessageContaining("id must be a string");
        assertThatThrownBy(() -> TaskJson.baseTaskFromJson(
                        "{\"domain\":\"math\",\"id\":\"x\",\"split\":\"train\"," + "\"problem\":\"p\",\"data\":[1]}"))
                .hasMessageContaining("data must be a JSON object");
        assertThatThrownBy(() -> TaskJson.historyFromJson("{\"turns\":[{\"response\":\"a\",\"iterate\":0}]}"))
                .hasMessageContaining("history.turns[0].iterate");
        assertThatThrownBy(() -> TaskJson.historyFromJson("{not json")).hasMessageContaining("not valid JSON");
    }

    @Test
    void contentIdsAreStableAndDependOnDomainAndContent() {
        assertThat(BaseTask.contentId("math", "1+1"))
                .isEqualTo(BaseTask.contentId("math", "1+1"))
                .startsWith("math-")
                .hasSize("math-".length() + 16);
        assertThat(BaseTask.contentId("math", "1+1")).isNotEqualTo(BaseTask.contentId("math", "1+2"));
        assertThat(BaseTask.contentId("math", "x").substring(5))
                .isNotEqualTo(BaseTask.contentId("countdown", "x").substring(10));
    }
}
