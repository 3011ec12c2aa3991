package dev.exitrl.core.domain.math;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the final answer in a model response, trying in order of priority (as math-verify does):
 *
 * <ol>
 *   <li>the last balanced {@code \boxed{...}} or {@code \fbox{...}} (nested braces allowed; {@code \boxed 5} too). A
 *       response whose only boxes are unbalanced was cut off: it has no answer, whatever else it says;
 *   <li>the last "final answer" phrasing ({@code The final answer is $5$}, {@code **Answer:** 5}): its first
 *       sentence, from the last " is " on if it has one ({@code Answer: the volume is 120. I hope...} gives 120),
 *       or the first math span in it; after an unlabelled "the answer is", plain words do not count as an answer;
 *   <li>the last LaTeX math span ({@code $...$}, {@code $$...$$}, {@code \[...\]}, {@code \(...\)});
 *   <li>the last number on the last non-blank line ({@code ... so she has 12 apples.}).
 * </ol>
 *
 * Every search is linear in the response length (no regular expression that can backtrack over the whole text), so
 * a 100k-character response costs a few milliseconds at most.
 */
final class AnswerExtractor {
    /** Longer "answers" are not answers; they are cut here before any further work. */
    static final int MAX_ANSWER_CHARS = 1000;

    private static final String[] BOX_COMMANDS = {"\\boxed", "\\fbox"};
    /** How many of the last boxes are tried before giving up (each try scans to the end of the text). */
    private static final int MAX_BOX_TRIES = 16;

    private static final Pattern FINAL_ANSWER =
            Pattern.compile("(?i)answer\\s{0,3}[*_]{0,3}\\s{0,3}(?:is\\s{0,3}([:：])?|([:：=]))[*_]{0,3}");
    private static final int MAX_PHRASE_TRIES = 32;
    private static final Pattern CHOICE_LETTER = Pattern.compile("\\(?[A-E]\\)?");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:,\\d{3})*(?:\\.\\d+)?(?:\\s?/\\s?\\d+)?");

    private AnswerExtractor() {}

    /** The final answer of a response, or null when none is found. */
    static String extract(String response) {
        if (response == null || response.isBlank()) {
            return null;
        }
        BoxSearch box = lastBoxed(response);
        if (box.content() != null) {
            return cap(box.content().strip());
        }
        if (box.sawBox()) {
            return null;
        }
        String phrased = lastFinalAnswerPhrase(response);
        if (phrased != null) {
            return cap(phrased);
        }
        String math = lastMathSpan(response);
        if (math != null) {
            return cap(math);
        }
        return lastNumberOnLastLine(response);
    }

    private static String cap(String answer) {
        if (answer.isEmpty()) {
            return null;
        }
        return answer.length() > MAX_ANSWER_CHARS ? answer.substring(0, MAX_ANSWER_CHARS) : answer;
    }

    private record BoxSearch(String content, boolean sawBox) {}

    private static BoxSearch lastBoxed(String text) {
        int from = text.length();
        boolean saw = false;
        for (int tries = 0; tries < MAX_BOX_TRIES; tries++) {
            int at = -1;
            String command = null;
            for (String c : BOX_COMMANDS) {
                int k = text.lastIndexOf(c, from);
                if (k > at) {
                    at = k;
                    command = c;
                }
            }
            if (at < 0) {
                break;
            }
            saw = true;
            String content = boxArgument(text, at + command.length());
            if (content != null && !content.isBlank()) {
                return new BoxSearch(content, true);
            }
            from = at - 1;
            if (from < 0) {
                break;
            }
        }
        return new BoxSearch(null, saw);
    }

    /** The argument of a box command whose name ends at {@code i}: a brace group or one bare token. */
    private static String boxArgument(String text, int i) {
        if (i < text.length() && Character.isLetter(text.charAt(i))) {
            return null; // \boxedfoo is another command
        }
        int j = i;
        while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
            j++;
        }
        if (j >= text.length()) {
            return null;
        }
        if (text.charAt(j) == '{') {
            int close = matchingBrace(text, j);
            return close < 0 ? null : text.substring(j + 1, close);
        }
        if (j == i) {
            return null;
        }
        int end = j;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '$') {
            end++;
        }
        return text.substring(j, end);
    }

    /** The content when the whole of {@code s} is one {@code \boxed{...}}, else null. */
    static String boxedContent(String s) {
        for (String c : BOX_COMMANDS) {
            if (s.startsWith(c + "{") && s.endsWith("}") && matchingBrace(s, c.length()) == s.length() - 1) {
                return s.substring(c.length() + 1, s.length() - 1);
            }
        }
        return null;
    }

    /** Index of the brace closing the one at {@code open}, or -1 when unbalanced; {@code \{ \}} do not count. */
    static int matchingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '{' || text.charAt(i + 1) == '}')) {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The last usable "answer is" phrase: matches are collected, then tried from the last, at most 32 of them. */
    private static String lastFinalAnswerPhrase(String text) {
        Matcher m = FINAL_ANSWER.matcher(text);
        List<int[]> matches = new ArrayList<>();
        while (m.find()) {
            boolean labelled = m.group(1) != null || m.group(2) != null;
            matches.add(new int[] {m.end(), labelled ? 1 : 0});
        }
        for (int k = matches.size() - 1; k >= Math.max(0, matches.size() - MAX_PHRASE_TRIES); k--) {
            int start = matches.get(k)[0];
            int limit = Math.min(text.length(), start + MAX_ANSWER_CHARS);
            int end = start;
            while (end < limit && text.charAt(end) != '\n') {
                end++;
            }
            String rest = afterLastIs(firstSentence(text.substring(start, end).strip()));
            String math = firstMathSpan(rest);
            String candidate = trimSentenceEnd(math != null ? math : rest);
            boolean labelled = matches.get(k)[1] == 1;
            if (!candidate.isEmpty() && (labelled || math != null || looksMathematical(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /** Up to the first full stop that ends a sentence ({@code ". "}, not the point of {@code 2.5}). */
    private static String firstSentence(String s) {
        for (int i = 0; i + 1 < s.length(); i++) {
            if (s.charAt(i) == '.' && Character.isWhitespace(s.charAt(i + 1)) && dollarsBalanced(s, i)) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    private static boolean dollarsBalanced(String s, int end) {
        int dollars = 0;
        for (int i = 0; i < end; i++) {
            if (s.charAt(i) == '$') {
                dollars++;
            }
        }
        return dollars % 2 == 0;
    }

    /** "Answer: the volume of $V$ is 120" states 120: what follows the last " is ", when there is one. */
    private static String afterLastIs(String sentence) {
        int is = sentence.lastIndexOf(" is ");
        return is < 0 ? sentence : sentence.substring(is + 4).strip();
    }

    /**
     * After "the answer is" without a colon, plain words are prose ("is one half", "is not obvious"), not answers: a
     * candidate needs a digit, a LaTeX command, {@code ^} or {@code =}, or to be a choice letter.
     */
    private static boolean looksMathematical(String candidate) {
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (Character.isDigit(c) || c == '\\' || c == '^' || c == '=') {
                return true;
            }
        }
        return CHOICE_LETTER.matcher(candidate).matches();
    }

    private static String trimSentenceEnd(String s) {
        String t = s.strip();
        while (!t.isEmpty() && ".*_".indexOf(t.charAt(t.length() - 1)) >= 0) {
            t = t.substring(0, t.length() - 1).strip();
        }
        return t;
    }

    private static String firstMathSpan(String line) {
        for (String[] d : new String[][] {{"$$", "$$"}, {"$", "$"}, {"\\[", "\\]"}, {"\\(", "\\)"}}) {
            int open = line.indexOf(d[0]);
            if (open >= 0) {
                int close = line.indexOf(d[1], open + d[0].length());
                if (close > open) {
                    return line.substring(open + d[0].length(), close).strip();
                }
            }
        }
        return null;
    }

    /**
     * The content of the last math span. One forward scan: at each opening delimiter, jump to its closer; an opener
     * without a closer ends the scan (nothing after it can be a complete span of that kind).
     */
    private static String lastMathSpan(String text) {
        String last = null;
        int i = 0;
        // next positions of each opener, searched again only once the scan has passed them (keeps it linear)
        int dollar = -2;
        int bracket = -2;
        int paren = -2;
        while (i < text.length()) {
            dollar = dollar == -1 || dollar >= i ? dollar : text.indexOf('$', i);
            bracket = bracket == -1 || bracket >= i ? bracket : text.indexOf("\\[", i);
            paren = paren == -1 || paren >= i ? paren : text.indexOf("\\(", i);
            int next = minNonNegative(dollar, minNonNegative(bracket, paren));
            if (next < 0) {
                break;
            }
            String open;
            String close;
            if (next == dollar) {
                boolean display = text.startsWith("$$", next);
                open = display ? "$$" : "$";
                close = open;
            } else if (next == bracket) {
                open = "\\[";
                close = "\\]";
            } else {
                open = "\\(";
                close = "\\)";
            }
            int end = text.indexOf(close, next + open.length());
            if (end < 0) {
                break;
            }
            String content = text.substring(next + open.length(), end).strip();
            if (!content.isEmpty()) {
                last = content;
            }
            i = end + close.length();
        }
        return last;
    }

    private static int minNonNegative(int a, int b) {
        if (a < 0) {
            return b;
        }
        if (b < 0) {
            return a;
        }
        return Math.min(a, b);
    }

    private static String lastNumberOnLastLine(String text) {
        String stripped = text.stripTrailing();
        int lineStart = stripped.lastIndexOf('\n') + 1;
        String line = stripped.substring(lineStart);
        if (line.length() > MAX_ANSWER_CHARS * 10) {
            line = line.substring(line.length() - MAX_ANSWER_CHARS * 10);
        }
        Matcher m = NUMBER.matcher(line);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last;
    }
}
