package dev.exitrl.policy.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.exitrl.policy.Fixtures;
import dev.exitrl.policy.tokenizer.ChatTemplate.Message;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Chat templates render as transformers renders them: every case of {@code chat-templates/golden.json} (written by
 * Python's jinja2 set up as {@code apply_chat_template} sets it up, see {@code render_golden.py}) is reproduced
 * exactly, including the template's own {@code raise_exception} message.
 */
class ChatTemplateTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Test
    void rendersLikePythonJinja2() throws IOException {
        JsonNode golden = JSON.readTree(resource("golden.json"));
        assertThat(golden.size()).isGreaterThanOrEqualTo(30);
        int errors = 0;
        for (JsonNode c : golden) {
            ChatTemplate template = new ChatTemplate(resource(c.get("template").asString() + ".jinja"), "<s>", "</s>");
            List<Message> messages = new ArrayList<>();
            for (JsonNode m : c.get("messages")) {
                messages.add(
                        new Message(m.get("role").asString(), m.get("content").asString()));
            }
            boolean generation = c.get("addGenerationPrompt").asBoolean();
            String what =
                    c.get("template").asString() + "/" + c.get("conversation").asString() + "/" + generation;
            if (c.has("error")) {
                errors++;
                assertThatThrownBy(() -> template.render(messages, generation))
                        .as(what)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(c.get("error").asString());
            } else {
                assertThat(template.render(messages, generation))
                        .as(what)
                        .isEqualTo(c.get("output").asString());
            }
        }
        assertThat(errors).as("cases where the template refuses its input").isGreaterThan(0);
    }

    @Test
    void continuationIsWhatTheTemplateWritesAfterAGeneratedMessage() throws IOException {
        ChatTemplate qwen = new ChatTemplate(resource("qwen2.jinja"), null, "<|im_end|>");
        ChatTemplate llama = new ChatTemplate(resource("llama3.jinja"), "<|begin_of_text|>", "<|eot_id|>");
        ChatTemplate alternating = new ChatTemplate(resource("alternating.jinja"), "<s>", "</s>");
        List<Message> toolThenUser =
                List.of(new Message("tool", "{\"ok\": true}"), new Message("tool", "42"), new Message("user", "Next?"));

        assertThat(qwen.continuation(List.of(new Message("tool", "42")), true))
                .contains(
                        "\n<|im_start|>user\n<tool_response>\n42\n</tool_response><|im_end|>\n<|im_start|>assistant\n");
        assertThat(llama.continuation(List.of(new Message("tool", "42")), true))
                .contains("<|start_header_id|>tool<|end_header_id|>\n\n42<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n");
        // Refuses a tool turn (roles must alternate): retried as a user turn.
        assertThat(alternating
                        .continuation(List.of(new Message("tool", "42")), true)
                        .orElseThrow())
                .contains("[INST] 42 [/INST]")
                .doesNotContain("</s>");
        assertThat(qwen.continuation(List.of(), true)).isEmpty();

        // The defining property, on real message texts: generated message (+ EOS) + continuation = the template's
        // render of the whole conversation, for each template and whether or not the message ended with EOS.
        String user = "Book a table for two.";
        String message = "Sure.\n<tool_call>{\"name\": \"book\"}</tool_call>";
        for (ChatTemplate t : List.of(qwen, llama)) {
            String eos = t == qwen ? "<|im_end|>" : "<|eot_id|>";
            String shorter = t.render(List.of(new Message("user", user), new Message("assistant", message)), false);
            String upToMessage = shorter.substring(0, shorter.lastIndexOf(message) + message.length());
            List<Message> all = new ArrayList<>(List.of(new Message("user", user), new Message("assistant", message)));
            all.addAll(toolThenUser);
            String whole = t.render(all, true);
            assertThat(upToMessage + eos + t.continuation(toolThenUser, true).orElseThrow())
                    .isEqualTo(whole);
            assertThat(upToMessage + t.continuation(toolThenUser, false).orElseThrow())
                    .isEqualTo(whole);
        }
    }

    @Test
    void tojsonLaysOutLikePythonJsonDumps() {
        StringBuilder out = new StringBuilder();
        ChatTemplate.ToJson.write(Map.of("name", "ls", "args", List.of(1, true, "ü\"\n")), out);
        assertThat(out.toString())
                .isIn(
                        "{\"name\": \"ls\", \"args\": [1, true, \"ü\\\"\\n\"]}",
                        "{\"args\": [1, true, \"ü\\\"\\n\"], \"name\": \"ls\"}");
    }

    @Test
    void loadsTheTemplateOfTokenizerConfigInItsForms(@TempDir Path dir) throws IOException {
        assertThat(ChatTemplate.load(dir)).isEmpty();

        ObjectNode config = JSON.createObjectNode();
        config.put("bos_token", "<s>");
        Files.writeString(dir.resolve("tokenizer_config.json"), config.toString());
        assertThat(ChatTemplate.load(dir)).as("no chat_template").isEmpty();

        config.putArray("chat_template")
                .add(JSON.createObjectNode().put("name", "tool_use").put("template", "TOOLS"))
                .add(JSON.createObjectNode()
                        .put("name", "default")
                        .put("template", "{{ bos_token }}{{ messages[0].content }}"));
        config.putObject("bos_token").put("content", "<B>");
        Files.writeString(dir.resolve("tokenizer_config.json"), config.toString());
        ChatTemplate named = ChatTemplate.load(dir).orElseThrow();
        assertThat(named.renderUserPrompt("hi")).isEqualTo("<B>hi");
    }

    /**
     * A checkpoint with a template: prompts are the template's rendering tokenised without added special tokens
     * (one BOS, written by the template), and saving the tokenizer keeps the template for later versions.
     */
    @Test
    void checkpointPromptsUseTheTemplateAndSavingKeepsIt(@TempDir Path dir) throws IOException {
        Path checkpoint = dir.resolve("ckpt");
        Files.createDirectories(checkpoint);
        Files.copy(Fixtures.hfTiny().resolve("qwen2/tokenizer.json"), checkpoint.resolve("tokenizer.json"));
        String template = "{{ bos_token }}{% for m in messages %}{{ m.role + ': ' + m.content + eos_token }}"
                + "{% endfor %}{% if add_generation_prompt %}assistant: {% endif %}";
        ObjectNode config = JSON.createObjectNode()
                .put("chat_template", template)
                .put("bos_token", "<|bos|>")
                .put("eos_token", "<|eos|>");
        Files.writeString(checkpoint.resolve("tokenizer_config.json"), config.toString());

        try (PolicyTokenizer plain = PolicyTokenizer.load(Fixtures.hfTiny().resolve("qwen2"));
                PolicyTokenizer chat = PolicyTokenizer.load(checkpoint)) {
            assertThat(plain.chatTemplate()).isEmpty();
            assertThat(plain.encodePrompt("Make 24.")).isEqualTo(plain.encode("Make 24."));

            String rendered = chat.chatTemplate().orElseThrow().renderUserPrompt("Make 24.");
            assertThat(rendered).isEqualTo("<|bos|>user: Make 24.<|eos|>assistant: ");
            long[] ids = chat.encodePrompt("Make 24.");
            assertThat(ids).isEqualTo(chat.encodePlain(rendered));
            long bos = plain.encode("")[0];
            assertThat(ids[0]).isEqualTo(bos);
            assertThat(ids[1]).as("the template's BOS is not doubled").isNotEqualTo(bos);
            assertThat(chat.decode(ids)).isEqualTo("user: Make 24.assistant: ");

            // Observations after a generated message that ended with EOS: the template's tool turn and the next
            // opening; a tokenizer without a template has no continuation (the caller uses plain text).
            List<Message> tool = List.of(new Message("tool", "42"));
            assertThat(chat.encodeContinuation(tool, true))
                    .hasValueSatisfying(c -> assertThat(c).isEqualTo(chat.encodePlain("tool: 42<|eos|>assistant: ")));
            assertThat(plain.encodeContinuation(tool, true)).isEmpty();

            Path saved = dir.resolve("v1");
            chat.save(saved);
            assertThat(saved.resolve("tokenizer_config.json"))
                    .hasSameTextualContentAs(checkpoint.resolve("tokenizer_config.json"));
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat-templates/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
