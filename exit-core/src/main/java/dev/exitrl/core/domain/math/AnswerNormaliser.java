package dev.exitrl.core.domain.math;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an extracted answer into the form {@link ExprParser} reads: removes what does not change the value (dollar
 * signs, {@code \left}/{@code \right}, {@code \displaystyle}, spacing commands, {@code \text{}} and similar
 * wrappers, degree marks, trailing punctuation and unit words, thousands separators) and maps unicode math
 * ({@code −}, {@code ×}, {@code π}, {@code √}, {@code ≤}, {@code ∞}, {@code ∪}) to LaTeX. Every pattern here is
 * linear in the input, so a long answer costs linear time.
 */
final class AnswerNormaliser {
    private static final Pattern SIZING = Pattern.compile(
            "\\\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg)(?![a-zA-Z])");
    private static final Pattern WRAPPER = Pattern.compile(
            "\\\\(?:text|textbf|textit|textrm|textnormal|texttt|textsf|mathrm|mathbf|mathit|mathsf|mathtt|mathnormal"
                    + "|boldsymbol|mbox|hbox|operatorname)\\s*\\{");
    private static final Pattern DEGREES = Pattern.compile("\\^\\s*\\{?\\s*\\\\circ\\s*\\}?|\\\\circ|°|\\\\degree");
    private static final Pattern SPACES = Pattern.compile("(?<!\\\\)\\\\(?:quad|qquad|;|:|,|!| )|~");
    private static final Pattern THOUSANDS = Pattern.compile("[-+]?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?");
    /** A unit word, with a power and a "per" part: {@code apples}, {@code cm^2}, {@code mol^{-1}}, {@code m/s}. */
    private static final String UNIT_WORD =
            "(?:[a-zA-Z]{2,}|[a-zA-Z](?=/))(?:\\^\\{?-?\\d\\}?)?(?:/[a-zA-Z]+(?:\\^\\{?-?\\d\\}?)?)?";

    private static final Pattern SPACED_THOUSANDS = Pattern.compile("[-+]?\\d{1,3}(?: \\d{3})+(?:\\.\\d+)?");
    private static final Pattern TRAILING_WORDS =
            Pattern.compile("^(.*?[\\d})π|]|.*?\\\\pi|.*?\\\\infty)(?:\\s+" + UNIT_WORD + ")+$");
    private static final Pattern TRAILING_UNIT = Pattern.compile(
            "^(.*?[\\d})|])(?:\\s*(?:cm|mm|km|in|ft|yd|mi|kg|mg|lb|lbs|oz|ml|mL|sec|min|hr|hrs|mph|kph|units?)"
                    + "|\\s+(?:m|g|l|L|s|h))(?:\\^\\{?\\d\\}?)?$");
    private static final Pattern ROOT_SIGN = Pattern.compile("\u221a\\s*(\\d+|[a-zA-Z])");
    private static final Pattern THIN_SPACE_SEPARATOR = Pattern.compile("(?<=\\d)\\\\,(?=\\d{3})");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TIMES_LETTER = Pattern.compile("(\\d)\\s*[xX]\\s*10\\s*\\^");
    private static final Pattern SPACE_AROUND_CARET = Pattern.compile(" ?\\^ ?");
    private static final Pattern ENDS_WITH_LETTER = Pattern.compile("[a-zA-Z]\\s*$");
    private static final List<String[]> UNICODE = List.of(
            new String[] {"\u2212", "-"},
            new String[] {"\u2013", "-"},
            new String[] {"\u00d7", "\\times "},
            new String[] {"\u22c5", "\\cdot "},
            new String[] {"\u00b7", "\\cdot "},
            new String[] {"\u00f7", "\\div "},
            new String[] {"\u03c0", "\\pi "},
            new String[] {"\u221e", "\\infty "},
            new String[] {"\u2264", "\\le "},
            new String[] {"\u2265", "\\ge "},
            new String[] {"\u2260", "\\ne "},
            new String[] {"\u222a", "\\cup "},
            new String[] {"\u2229", "\\cap "},
            new String[] {"\u2208", "\\in "},
            new String[] {"\u00b1", "\\pm "},
            new String[] {"\u2205", "\\emptyset "},
            new String[] {"\u00a0", " "},
            new String[] {"\u2009", " "},
            new String[] {"\u202f", " "});

    private AnswerNormaliser() {}

    static String normalise(String answer) {
        String s = answer.strip();
        if (s.indexOf('\u221a') >= 0) {
            s = ROOT_SIGN.matcher(s).replaceAll("\\\\sqrt{$1}").replace("\u221a", "\\sqrt");
        }
        for (String[] u : UNICODE) {
            s = s.replace(u[0], u[1]);
        }
        s = s.replace("\\$", "").replace("$", "");
        s = unwrapDelimiters(s.strip());
        String boxed = AnswerExtractor.boxedContent(s);
        if (boxed != null) {
            s = boxed;
        }
        s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\cfrac", "\\frac");
        s = s.replace("\\dbinom", "\\binom").replace("\\tbinom", "\\binom");
        s = s.replace("\\displaystyle", "").replace("\\textstyle", "");
        s = s.replace("\\left.", "").replace("\\right.", "");
        s = SIZING.matcher(s).replaceAll("");
        s = s.replace("\\lbrace", "\\{").replace("\\rbrace", "\\}");
        s = s.replace("\\lvert", "|").replace("\\rvert", "|").replace("\\vert", "|");
        s = s.replace("{,}", ",");
        s = DEGREES.matcher(s).replaceAll(" ");
        // \, between digits is a thousands separator (1\,000); elsewhere it is a thin space
        s = THIN_SPACE_SEPARATOR.matcher(s).replaceAll("");
        s = s.replace("\\!", ""); // a negative thin space, as in 10,\!000
        s = SPACES.matcher(s).replaceAll(" ");
        s = s.replace("\\%", "%");
        s = TIMES_LETTER.matcher(s).replaceAll("$1\\\\times 10^"); // 1.5 x 10^3
        s = unwrapWrappers(s);
        s = SPACE_AROUND_CARET
                .matcher(WHITESPACE.matcher(s).replaceAll(" "))
                .replaceAll("^")
                .strip();
        s = stripTrailingPunctuation(s);
        s = joinThousands(s);
        s = stripUnits(s);
        return WHITESPACE.matcher(s).replaceAll(" ").strip();
    }

    /** {@code \[..\]}, {@code \(..\)} around the whole answer. */
    private static String unwrapDelimiters(String s) {
        if ((s.startsWith("\\[") && s.endsWith("\\]")) || (s.startsWith("\\(") && s.endsWith("\\)"))) {
            return s.substring(2, s.length() - 2).strip();
        }
        return s;
    }

    private static String unwrapWrappers(String s) {
        Matcher m = WRAPPER.matcher(s);
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (m.find(from)) {
            int close = AnswerExtractor.matchingBrace(s, m.end() - 1);
            if (close < 0) {
                break;
            }
            out.append(s, from, m.start()).append(' ').append(s, m.end(), close).append(' ');
            from = close + 1;
        }
        out.append(s, from, s.length());
        String result = out.toString();
        // wrappers can nest (\text{\textbf{C}}): unwrap again while something changed
        return result.length() != s.length() && WRAPPER.matcher(result).find() ? unwrapWrappers(result) : result;
    }

    private static String stripTrailingPunctuation(String s) {
        int end = s.length();
        while (end > 0) {
            char c = s.charAt(end - 1);
            if (c == '.' || c == ';' || c == ' ' || (c == ',' && end > 1)) {
                end--;
            } else if (c == '*' || c == '_') {
                end--; // markdown emphasis left over from "**Answer: 5**"
            } else {
                break;
            }
        }
        int start = 0;
        while (start < end && (s.charAt(start) == '*' || s.charAt(start) == ' ')) {
            start++;
        }
        return s.substring(start, end);
    }

    /** {@code 1,234,567} as a whole number (not in a list or a tuple, where the comma separates items). */
    private static String joinThousands(String s) {
        if (SPACED_THOUSANDS.matcher(s).matches()) {
            return s.replace(" ", ""); // 1 000 000
        }
        Matcher m = THOUSANDS.matcher(s);
        if (m.lookingAt() && s.indexOf(',', m.end()) < 0 && (m.end() == s.length() || !isDigit(s, m.end()))) {
            return m.group().replace(",", "") + s.substring(m.end());
        }
        return s;
    }

    private static boolean isDigit(String s, int i) {
        return Character.isDigit(s.charAt(i));
    }

    /** Drops trailing unit words ({@code 12 cm}, {@code 5 apples}, {@code 3m^2}) when a plain value is left. */
    private static String stripUnits(String s) {
        for (Pattern unit : List.of(TRAILING_WORDS, TRAILING_UNIT)) {
            Matcher m = unit.matcher(s);
            if (m.matches()) {
                String value = m.group(1).strip();
                if (!ExprParser.hasWords(value)
                        && !ENDS_WITH_LETTER.matcher(value).find()) {
                    return value;
                }
            }
        }
        return s;
    }
}
