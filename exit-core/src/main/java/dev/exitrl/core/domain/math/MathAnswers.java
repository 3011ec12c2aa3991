package dev.exitrl.core.domain.math;

import dev.exitrl.core.domain.Fraction;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Final-answer extraction and equivalence for competition math.
 *
 * <p>Extraction: the content of the last {@code \boxed{...}} (or {@code \fbox{...}}, nested braces allowed); if
 * there is none, the text after the last line that starts with {@code Answer:} (or {@code Final answer:}).
 *
 * <p>Equivalence: both answers are normalised ({@link #normalise}: LaTeX spacing and sizing noise, {@code $},
 * {@code \text{}}, degrees, percent, trailing units and periods, {@code x =} prefixes, thousands separators), then
 * compared as exact values ({@link ExactValue}: integers, decimals, fractions, mixed numbers, simple radicals, pi),
 * element by element for tuples and intervals (same brackets, same order) and as multisets for bare comma lists
 * ("enter all solutions"); answers that are not values are compared as text with whitespace removed. Decimals are
 * exact: {@code 0.33} is not {@code 1/3}. Deviation from the paper: the paper used math-verify (a Python CAS-backed
 * checker); this is a smaller, dependency-free checker, so symbolic answers (polynomials, equations) only match
 * when their normalised text matches.
 *
 * <p>Superseded by {@link MathChecker}, which {@link MathDomain} uses; kept as the baseline of the checker benchmark.
 */
public final class MathAnswers {
    private static final Pattern BOX = Pattern.compile("\\\\(?:boxed|fbox)\\s*\\{");
    private static final Pattern ANSWER_LINE =
            Pattern.compile("(?im)^[\\s*#>]*(?:final\\s+)?answer\\s*[*]*\\s*[:：]\\s*[*]*(.*)$");
    private static final Pattern TEXT_COMMAND =
            Pattern.compile("\\\\(?:text|textbf|textit|textrm|mathrm|mathbf|mbox|operatorname)\\s*\\{");
    private static final Pattern VARIABLE_PREFIX = Pattern.compile("^\\\\?[a-zA-Z]{1,6}(?:_\\{?\\w+\\}?)?\\s*=\\s*");
    private static final Pattern THOUSANDS = Pattern.compile("(?<![\\d.,])\\d{1,3}(?:,\\d{3})+(?![\\d,])");
    private static final Pattern MIXED =
            Pattern.compile("^(-?)(\\d+)(?:\\s+(\\d+)/(\\d+)|\\s*\\\\frac\\{(\\d+)\\}\\{(\\d+)\\})$");
    private static final Pattern TRAILING_WORDS =
            Pattern.compile("^(.*?(?:[\\d})π]|\\\\pi))\\s+[a-zA-Z]{2,}(?:\\s+[a-zA-Z]{2,})*(?:\\^\\{?\\d\\}?)?$");
    private static final Pattern TRAILING_UNIT = Pattern.compile(
            "^(.*?(?:[\\d})π]|\\\\pi))\\s*(?:cm|mm|km|m|in|ft|yd|mi|kg|g|mg|lb|lbs|oz|ml|l|s|sec|min|h|hr|hrs|mph|units?)"
                    + "(?:\\^\\{?\\d\\}?)?$");
    private static final Set<String> OPEN = Set.of("(", "[", "\\{");

    private MathAnswers() {}

    /** The final answer of a response, or null when it has neither a {@code \boxed{}} nor an {@code Answer:} line. */
    public static String extract(String response) {
        if (response == null) {
            return null;
        }
        String boxed = lastBoxed(response);
        if (boxed != null) {
            return boxed.strip();
        }
        Matcher m = ANSWER_LINE.matcher(response);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            return null;
        }
        last = last.strip();
        return last.isEmpty() ? null : last;
    }

    private static String lastBoxed(String text) {
        Matcher m = BOX.matcher(text);
        String last = null;
        while (m.find()) {
            int end = matchingBrace(text, m.end() - 1);
            if (end > 0) {
                last = text.substring(m.end(), end);
            }
        }
        return last;
    }

    /** Index of the brace closing the one at {@code open}, or -1 when unbalanced. */
    private static int matchingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '{' || text.charAt(i + 1) == '}')) {
                i++; // an escaped brace (\{ of a set) does not count
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Removes formatting that does not change an answer's value; the result is compared and parsed. */
    public static String normalise(String answer) {
        String s = answer.strip();
        s = s.replace("\\$", "").replace("$", "");
        String boxed = lastBoxed(s);
        if (boxed != null && s.equals("\\boxed{" + boxed + "}")) {
            s = boxed; // a reference stored boxed
        }
        s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\displaystyle", "");
        s = s.replaceAll("\\\\(?:left|right|big|Big|bigg|Bigg)(?![a-zA-Z])", "");
        s = s.replace("\\!", "").replace("\\,", "").replace("{,}", "");
        s = s.replaceAll("\\\\(?:;|:|\\s|quad|qquad)", " ").replace("~", " ");
        s = s.replaceAll("\\^\\s*\\{?\\s*\\\\circ\\s*\\}?", "")
                .replace("\\circ", "")
                .replace("°", "")
                .replace("\\degree", "");
        s = s.replace("\\%", "").replace("%", "");
        s = unwrapTextCommands(s);
        s = s.replaceAll("\\s+", " ").replaceAll(" ?\\^ ?", "^").strip();
        s = s.replaceAll("[.\\s]+$", "");
        Matcher prefix = VARIABLE_PREFIX.matcher(s);
        if (prefix.find() && s.indexOf('=', prefix.end()) < 0 && prefix.end() < s.length()) {
            s = s.substring(prefix.end());
        }
        s = stripUnits(s);
        s = THOUSANDS.matcher(s).replaceAll(m -> m.group().replace(",", ""));
        return s.replaceAll("\\s+", " ").strip();
    }

    private static String unwrapTextCommands(String s) {
        Matcher m = TEXT_COMMAND.matcher(s);
        while (m.find()) {
            int end = matchingBrace(s, m.end() - 1);
            if (end < 0) {
                break;
            }
            s = s.substring(0, m.start()) + " " + s.substring(m.end(), end) + " " + s.substring(end + 1);
            m = TEXT_COMMAND.matcher(s);
        }
        return s;
    }

    /** Drops trailing unit words ({@code 12 cm}, {@code 5 apples}, {@code 3m^2}) when what is left is a value. */
    private static String stripUnits(String s) {
        for (Pattern unit : List.of(TRAILING_WORDS, TRAILING_UNIT)) {
            Matcher m = unit.matcher(s);
            if (m.matches() && value(m.group(1)).isPresent()) {
                return m.group(1).strip();
            }
        }
        return s;
    }

    /** True when {@code predicted} and {@code reference} state the same answer. */
    public static boolean equivalent(String predicted, String reference) {
        if (predicted == null || reference == null) {
            return false;
        }
        return equivalentNormalised(normalise(predicted), normalise(reference));
    }

    private static boolean equivalentNormalised(String a, String b) {
        if (compact(a).equals(compact(b))) {
            return true;
        }
        Optional<ExactValue> va = value(a);
        Optional<ExactValue> vb = value(b);
        if (va.isPresent() && vb.isPresent()) {
            return va.get().equals(vb.get());
        }
        if (va.isPresent() || vb.isPresent()) {
            return false;
        }
        return equivalentLists(a, b);
    }

    /** Tuples and intervals: same brackets, elements equal in order. Bare lists: equal as multisets. */
    private static boolean equivalentLists(String a, String b) {
        String openA = opening(a);
        String openB = opening(b);
        if (openA != null || openB != null) {
            if (openA == null
                    || openB == null
                    || !openA.equals(openB)
                    || a.charAt(a.length() - 1) != b.charAt(b.length() - 1)) {
                return false;
            }
            List<String> ea = splitTopLevel(a.substring(openA.length(), a.length() - closingLength(a)));
            List<String> eb = splitTopLevel(b.substring(openB.length(), b.length() - closingLength(b)));
            if (ea.size() != eb.size()) {
                return false;
            }
            for (int i = 0; i < ea.size(); i++) {
                if (!equivalentNormalised(ea.get(i), eb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        List<String> ea = splitTopLevel(a);
        List<String> eb = new ArrayList<>(splitTopLevel(b));
        if (ea.size() < 2 || ea.size() != eb.size()) {
            return false;
        }
        for (String x : ea) {
            int match = -1;
            for (int j = 0; j < eb.size() && match < 0; j++) {
                if (equivalentNormalised(x, eb.get(j))) {
                    match = j;
                }
            }
            if (match < 0) {
                return false;
            }
            eb.remove(match);
        }
        return true;
    }

    private static String opening(String s) {
        for (String open : OPEN) {
            if (s.startsWith(open) && s.length() > open.length() + 1) {
                char last = s.charAt(s.length() - 1);
                if (last == ')' || last == ']' || last == '}') {
                    return open;
                }
            }
        }
        return null;
    }

    private static int closingLength(String s) {
        return s.endsWith("\\}") ? 2 : 1;
    }

    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(s.substring(start).strip());
        return parts;
    }

    private static String compact(String s) {
        return s.replaceAll("\\s+", "");
    }

    /** The exact value of a normalised answer, including mixed numbers ({@code 3 1/2}, {@code 3\frac{1}{2}}). */
    static Optional<ExactValue> value(String normalised) {
        Matcher mixed = MIXED.matcher(normalised.strip());
        if (mixed.matches()) {
            boolean plain = mixed.group(3) != null;
            BigInteger denominator = new BigInteger(mixed.group(plain ? 4 : 6));
            if (denominator.signum() == 0) {
                return Optional.empty();
            }
            Fraction part = Fraction.of(new BigInteger(mixed.group(plain ? 3 : 5)), denominator);
            Fraction whole = Fraction.parse(mixed.group(2)).add(part);
            return Optional.of(ExactValue.of(mixed.group(1).isEmpty() ? whole : whole.negate()));
        }
        return LatexValueParser.parse(normalised);
    }
}
