package dev.exitrl.policy.tokenizer;

/**
 * Applies Jinja2's whitespace rules to a template's source, so the template can be handed to an engine with every
 * whitespace option off. Jinja2 decides whitespace in its lexer, before any evaluation, so this is exact:
 *
 * <ul>
 *   <li>{@code {%-}, {@code {{-}, {@code {#-} remove all whitespace before the tag; {@code -%}}, {@code -}}},
 *       {@code -#}} all whitespace after it;
 *   <li>{@code trim_blocks}: the first newline after a block or comment tag is removed (not after {@code +%}});
 *   <li>{@code lstrip_blocks}: spaces and tabs between the start of a line and a block or comment tag are removed
 *       (not before {@code {%+}).
 * </ul>
 *
 * Jinjava's own handling differs from Jinja2's (it leaves the whitespace before {@code {{-} and eats the space
 * before a block tag in the middle of a line), which is why templates go through here first. Tags are scanned with
 * their string literals, so a {@code %}} inside a quoted string does not end a tag. {@code raw} blocks are not
 * special-cased (no chat template we know of uses them).
 */
final class JinjaWhitespace {
    private JinjaWhitespace() {}

    static String normalize(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        boolean stripNextLeading = false;
        boolean trimNextNewline = false;
        while (i < source.length()) {
            int open = nextTagStart(source, i);
            String raw = source.substring(i, open < 0 ? source.length() : open);
            String text = raw;
            if (stripNextLeading) {
                text = text.stripLeading();
            } else if (trimNextNewline) {
                if (text.startsWith("\r\n")) {
                    text = text.substring(2);
                } else if (text.startsWith("\n")) {
                    text = text.substring(1);
                }
            }
            if (open < 0) {
                out.append(text);
                break;
            }
            char kind = source.charAt(open + 1); // '{', '%' or '#'
            char modifier = open + 2 < source.length() ? source.charAt(open + 2) : ' ';
            if (modifier == '-') {
                text = text.stripTrailing();
            } else if (kind != '{' && modifier != '+') {
                text = lstripAtLineStart(raw, text, i == 0);
            }
            out.append(text);
            int close = tagEnd(source, open + 2, kind);
            String body = source.substring(open + 2, close);
            boolean rightStrip = body.endsWith("-");
            boolean rightKeep = body.endsWith("+");
            if (modifier == '-' || modifier == '+') {
                body = body.substring(1);
            }
            if ((rightStrip || rightKeep) && !body.isEmpty()) {
                body = body.substring(0, body.length() - 1);
            }
            char closing = kind == '{' ? '}' : kind;
            if (kind != '#') {
                out.append('{').append(kind).append(body).append(closing).append('}');
            }
            i = close + 2;
            stripNextLeading = rightStrip;
            trimNextNewline = kind != '{' && !rightKeep;
        }
        return out.toString();
    }

    /** Where the next {@code {{}, {@code {%} or {@code {#} starts at or after {@code from}, or -1. */
    private static int nextTagStart(String s, int from) {
        for (int k = s.indexOf('{', from); k >= 0 && k + 1 < s.length(); k = s.indexOf('{', k + 1)) {
            char c = s.charAt(k + 1);
            if (c == '{' || c == '%' || c == '#') {
                return k;
            }
        }
        return -1;
    }

    /** Index of the closing {@code }}}, {@code %}} or {@code #}} of a tag whose body starts at {@code from}. */
    private static int tagEnd(String s, int from, char kind) {
        char closing = kind == '{' ? '}' : kind;
        char quote = 0;
        for (int k = from; k + 1 < s.length(); k++) {
            char c = s.charAt(k);
            if (kind != '#' && quote != 0) {
                if (c == '\\') {
                    k++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (kind != '#' && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == closing && s.charAt(k + 1) == '}') {
                return k;
            }
        }
        throw new IllegalArgumentException("chat template: unclosed tag at offset " + (from - 2));
    }

    /**
     * {@code text} without its trailing spaces and tabs when, in the source, the tag starts its line ({@code raw}
     * ends with a newline then only spaces and tabs, or the template starts with them).
     */
    private static String lstripAtLineStart(String raw, String text, boolean templateStart) {
        int newline = raw.lastIndexOf('\n');
        if (newline < 0 && !templateStart) {
            return text; // the tag follows another tag on its line
        }
        for (int k = newline + 1; k < raw.length(); k++) {
            char c = raw.charAt(k);
            if (c != ' ' && c != '\t') {
                return text;
            }
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        return text.substring(0, end);
    }
}
