package dev.exitrl.policy.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chat template of a Hugging Face checkpoint ({@code chat_template} in {@code tokenizer_config.json}), rendered
 * the way {@code transformers}' {@code apply_chat_template(..., tokenize=False)} renders it.
 *
 * <p>Rendering: Jinja via Jinjava, after {@link JinjaWhitespace} has applied Jinja2's whitespace control with
 * {@code trim_blocks} and {@code lstrip_blocks} on (as transformers sets them) to the source; the variables {@code messages} (a list of {@code {role, content}}), {@code add_generation_prompt},
 * {@code bos_token} and {@code eos_token} (from the same file), and transformers' helpers {@code raise_exception(msg)}
 * (fails the render with the template's message), {@code strftime_now(format)} and the filter {@code tojson}
 * (Python {@code json.dumps} layout: {@code ", "} and {@code ": "} separators, non-ASCII kept). A list of named
 * templates takes the one named {@code default}. Supported: what Jinjava implements of Jinja2 (statements {@code
 * if/for/set/macro}, whitespace control, {@code loop.*}, tests such as {@code defined}, string concatenation with
 * {@code +} and {@code ~}, indexing and attribute access on the message maps). Not supported: Python string methods
 * that Jinjava lacks, {@code namespace()} writes inside loops, and {@code tools}/{@code documents} arguments (we never
 * pass them: templates branch on them being undefined). Tests compare renders with Python's jinja2 on real-shaped
 * templates (ChatML/Qwen2.5, Llama 3, an alternation check with {@code raise_exception}).
 *
 * <p>Tokenise the result without adding special tokens (the template writes BOS itself where the model wants one),
 * as transformers does.
 */
public final class ChatTemplate {
    static final String FILE = "tokenizer_config.json";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One chat message; roles are the template's ({@code system}, {@code user}, {@code assistant}, {@code tool}). */
    public record Message(String role, String content) {
        public Message {
            if (role == null || role.isBlank()) {
                throw new IllegalArgumentException("message role is blank");
            }
            content = content == null ? "" : content;
        }
    }

    private final String template;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;

    ChatTemplate(String template, String bosToken, String eosToken) {
        this.template = JinjaWhitespace.normalize(template);
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withFailOnUnknownTokens(false)
                .build());
        jinjava.getGlobalContext().registerFilter(new ToJson());
        jinjava.getGlobalContext()
                .registerFunction(new ELFunctionDefinition(
                        "", "raise_exception", ChatTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext()
                .registerFunction(
                        new ELFunctionDefinition("", "strftime_now", ChatTemplate.class, "strftimeNow", String.class));
    }

    /** The template in {@code dir/tokenizer_config.json}, or empty when the file or its template is absent. */
    public static Optional<ChatTemplate> load(Path dir) throws IOException {
        Path file = Files.isDirectory(dir) ? dir.resolve(FILE) : dir.resolveSibling(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode config = JSON.readTree(file.toFile());
        String template = templateText(config.get("chat_template"));
        if (template == null) {
            return Optional.empty();
        }
        return Optional.of(new ChatTemplate(template, token(config.get("bos_token")), token(config.get("eos_token"))));
    }

    /** A string template, or the {@code default} one of a named list. */
    private static String templateText(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isString()) {
            return node.asString();
        }
        if (node.isArray()) {
            for (JsonNode named : node) {
                if ("default".equals(named.path("name").asString(null))) {
                    return named.path("template").asString(null);
                }
            }
        }
        return null;
    }

    /** A special token written as a string or as an added-token object {@code {"content": ...}}. */
    private static String token(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isString() ? node.asString() : node.path("content").asString(null);
    }

    /** Renders {@code messages}; with {@code addGenerationPrompt} the text ends where the assistant's reply starts. */
    public String render(List<Message> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> list = new ArrayList<>(messages.size());
        for (Message m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            list.add(map);
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("messages", list);
        vars.put("add_generation_prompt", addGenerationPrompt);
        vars.put("bos_token", bosToken);
        vars.put("eos_token", eosToken);
        RenderResult result = jinjava.renderForResult(template, vars);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                Throwable cause = error.getException();
                String message = error.getMessage();
                for (Throwable t = cause; t != null; t = t.getCause()) {
                    if (t instanceof TemplateRaised raised) {
                        message = raised.getMessage();
                        break;
                    }
                }
                throw new IllegalArgumentException("chat template: " + message, cause);
            }
        }
        return result.getOutput();
    }

    /** The prompt for one user request: the user message and the assistant's opening. */
    public String renderUserPrompt(String userText) {
        return render(List.of(new Message("user", userText)), true);
    }

    /**
     * The text that follows a generated assistant message when the conversation goes on with {@code turns} (tool
     * results, a next user request): the rest of the template's closing of the assistant turn, the turns, and the
     * assistant's next opening. Found by difference, with a probe conversation: {@code render([user, assistant,
     * turns...], true)} minus {@code render([user, assistant], false)}, so it is exactly what the template writes
     * between the two, whatever the template. The generated message's own tokens are kept as sampled (the trainer
     * needs the ids the policy produced); when it ended with EOS and the template closes an assistant turn with the EOS
     * token's text, the closing here starts after that text.
     *
     * <p>A {@code tool} turn that the template refuses (some templates allow only alternating user and assistant
     * turns) is retried as a {@code user} turn. Empty when the template does not render the longer conversation as
     * a continuation of the shorter one (then the caller uses plain text).
     *
     * <p>Choice: each continuation is computed against a one-exchange probe, not the whole conversation so far. For
     * templates whose rendering of a turn does not depend on later turns (ChatML/Qwen2.5, Llama 3) this is exact; a
     * template that rewrites earlier assistant turns (e.g. one that drops earlier reasoning) is not reproduced.
     */
    public Optional<String> continuation(List<Message> turns, boolean messageEndedWithEos) {
        if (turns.isEmpty()) {
            return Optional.empty();
        }
        try {
            return continuationOf(turns, messageEndedWithEos);
        } catch (IllegalArgumentException refused) {
            List<Message> asUser = new ArrayList<>(turns.size());
            for (Message m : turns) {
                asUser.add(m.role().equals("tool") ? new Message("user", m.content()) : m);
            }
            try {
                return continuationOf(asUser, messageEndedWithEos);
            } catch (IllegalArgumentException stillRefused) {
                return Optional.empty();
            }
        }
    }

    private static final String PROBE_USER = "exit-probe-user-request";
    private static final String PROBE_ASSISTANT = "exit-probe-assistant-message";

    private Optional<String> continuationOf(List<Message> turns, boolean messageEndedWithEos) {
        List<Message> exchange = List.of(new Message("user", PROBE_USER), new Message("assistant", PROBE_ASSISTANT));
        List<Message> longer = new ArrayList<>(exchange);
        longer.addAll(turns);
        String shorter = render(exchange, false);
        String full = render(longer, true);
        int at = shorter.lastIndexOf(PROBE_ASSISTANT);
        if (at < 0 || !full.startsWith(shorter)) {
            return Optional.empty();
        }
        String closing = shorter.substring(at + PROBE_ASSISTANT.length());
        if (messageEndedWithEos && !eosToken.isEmpty() && closing.startsWith(eosToken)) {
            closing = closing.substring(eosToken.length());
        }
        return Optional.of(closing + full.substring(shorter.length()));
    }

    /** Copies the source file next to a checkpoint's {@code tokenizer.json}. */
    static void copy(Path sourceDir, Path targetDir) throws IOException {
        Path source = sourceDir.resolve(FILE).toAbsolutePath();
        Path target = targetDir.resolve(FILE).toAbsolutePath();
        if (Files.isRegularFile(source) && !source.equals(target)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** transformers' {@code raise_exception}: the template refuses its input (e.g. roles that do not alternate). */
    public static String raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** transformers' {@code strftime_now}: the local time in a Python {@code strftime} format (common fields). */
    public static String strftimeNow(String format) {
        LocalDateTime now = LocalDateTime.now();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char f = format.charAt(++i);
            String pattern = switch (f) {
                case 'd' -> "dd";
                case 'm' -> "MM";
                case 'Y' -> "yyyy";
                case 'y' -> "yy";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'H' -> "HH";
                case 'M' -> "mm";
                case 'S' -> "ss";
                default -> null;
            };
            if (pattern == null) {
                out.append('%').append(f);
            } else {
                out.append(now.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH)));
            }
        }
        return out.toString();
    }

    /** The template's own error, kept apart from Jinjava's so its message reaches the caller unchanged. */
    static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message);
        }
    }

    /** {@code tojson} as transformers defines it: Python's {@code json.dumps(x, ensure_ascii=False)}. */
    static final class ToJson implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            StringBuilder out = new StringBuilder();
            write(var, out);
            return out.toString();
        }

        static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    writeString(String.valueOf(e.getKey()), out);
                    out.append(": ");
                    write(e.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof Collection<?> list) {
                out.append('[');
                boolean first = true;
                for (Object item : list) {
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    write(item, out);
                }
                out.append(']');
            } else if (value instanceof Boolean b) {
                out.append(b ? "true" : "false");
            } else if (value instanceof Number n) {
                out.append(n);
            } else {
                writeString(value.toString(), out);
            }
        }

        private static void writeString(String s, StringBuilder out) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
