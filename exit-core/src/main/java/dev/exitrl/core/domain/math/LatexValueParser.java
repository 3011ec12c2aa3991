package dev.exitrl.core.domain.math;

import dev.exitrl.core.domain.Fraction;
import java.util.Optional;

/**
 * Reads a normalised answer ({@link MathAnswers#normalise}) as an {@link ExactValue}. Grammar, whitespace ignored:
 *
 * <pre>
 * expr    := term (('+' | '-') term)*
 * term    := unary (('*' | '\cdot' | '\times' | '/' | '\div' | implicit) unary)*
 * unary   := ('-' | '+') unary | power
 * power   := primary ('^' (group | digit))?
 * primary := number | '\frac' arg arg | '\sqrt' ('[' n ']')? arg | '\pi' | 'π' | '(' expr ')' | '{' expr '}'
 * arg     := '{' expr '}' | digit | '\pi'
 * </pre>
 *
 * Implicit multiplication ({@code 2\sqrt{3}}, {@code 3\pi}) binds like {@code *}. Anything else (variables,
 * intervals, text) is not a value: the parser returns empty and the caller compares text instead.
 */
final class LatexValueParser {
    private final String s;
    private int pos;

    private LatexValueParser(String s) {
        this.s = s;
    }

    static Optional<ExactValue> parse(String text) {
        String compact = text.replaceAll("\\s+", "");
        if (compact.isEmpty()) {
            return Optional.empty();
        }
        LatexValueParser p = new LatexValueParser(compact);
        try {
            ExactValue v = p.expr();
            return p.pos == compact.length() ? Optional.of(v) : Optional.empty();
        } catch (ArithmeticException | IllegalStateException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private ExactValue expr() {
        ExactValue v = term();
        while (pos < s.length()) {
            if (eat("+")) {
                v = v.add(term());
            } else if (eat("-")) {
                v = v.subtract(term());
            } else {
                break;
            }
        }
        return v;
    }

    private ExactValue term() {
        ExactValue v = unary();
        while (pos < s.length()) {
            if (eat("*") || eatCommand("\\cdot") || eatCommand("\\times")) {
                v = v.multiply(unary());
            } else if (eat("/") || eatCommand("\\div")) {
                v = v.divide(unary());
            } else if (startsPrimary()) {
                v = v.multiply(power());
            } else {
                break;
            }
        }
        return v;
    }

    private ExactValue unary() {
        if (eat("-")) {
            return unary().negate();
        }
        if (eat("+")) {
            return unary();
        }
        return power();
    }

    private ExactValue power() {
        ExactValue base = primary();
        if (!eat("^")) {
            return base;
        }
        ExactValue exponent = arg();
        Fraction e = exponent.asRational();
        if (e == null) {
            throw new IllegalStateException("irrational exponent");
        }
        if (e.isInteger()) {
            return base.pow(e.numerator().intValueExact());
        }
        if (e.denominator().intValueExact() == 2 && e.numerator().signum() > 0) {
            return base.pow(e.numerator().intValueExact()).root(2);
        }
        throw new IllegalStateException("unsupported exponent " + e);
    }

    private ExactValue primary() {
        if (pos >= s.length()) {
            throw new IllegalStateException("unexpected end");
        }
        char c = s.charAt(pos);
        if (Character.isDigit(c) || c == '.') {
            return number();
        }
        if (eat("(")) {
            return closedBy(")");
        }
        if (eat("{")) {
            return closedBy("}");
        }
        if (eatCommand("\\frac")) {
            ExactValue num = arg();
            return num.divide(arg());
        }
        if (eatCommand("\\sqrt")) {
            int n = 2;
            if (eat("[")) {
                int start = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                n = Integer.parseInt(s.substring(start, pos));
                expect("]");
            }
            return arg().root(n);
        }
        if (eatCommand("\\pi") || eat("π")) {
            return ExactValue.PI;
        }
        throw new IllegalStateException("unexpected '" + c + "' at " + pos);
    }

    /** A brace group, or a single digit or {@code \pi} as in {@code \frac12} and {@code \sqrt2}. */
    private ExactValue arg() {
        if (eat("{")) {
            return closedBy("}");
        }
        if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            return ExactValue.of(Fraction.of(s.charAt(pos++) - '0'));
        }
        if (eatCommand("\\pi")) {
            return ExactValue.PI;
        }
        throw new IllegalStateException("expected an argument at " + pos);
    }

    private ExactValue closedBy(String close) {
        ExactValue v = expr();
        expect(close);
        return v;
    }

    private ExactValue number() {
        int start = pos;
        while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
            pos++;
        }
        return ExactValue.of(Fraction.parse(s.substring(start, pos)));
    }

    private boolean startsPrimary() {
        char c = s.charAt(pos);
        return Character.isDigit(c)
                || c == '('
                || c == '{'
                || c == 'π'
                || s.startsWith("\\frac", pos)
                || s.startsWith("\\sqrt", pos)
                || s.startsWith("\\pi", pos);
    }

    private boolean eat(String token) {
        if (!s.startsWith(token, pos)) {
            return false;
        }
        pos += token.length();
        return true;
    }

    /** Like {@link #eat} for a command, which must not run on into more letters ({@code \pi} vs {@code \pm}). */
    private boolean eatCommand(String command) {
        if (!s.startsWith(command, pos)) {
            return false;
        }
        int end = pos + command.length();
        if (end < s.length() && Character.isLetter(s.charAt(end))) {
            return false;
        }
        pos = end;
        return true;
    }

    private void expect(String token) {
        if (!eat(token)) {
            throw new IllegalStateException("expected '" + token + "' at " + pos);
        }
    }
}
