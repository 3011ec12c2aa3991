package dev.exitrl.core.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Exact arithmetic expressions over rationals with {@code + - * /} and parentheses: the tree, evaluation, rendering
 * with the fewest parentheses, and a strict parser. Shared by the math generator and countdown.
 */
public final class Arithmetic {
    private Arithmetic() {}

    /** An expression tree. */
    public sealed interface Expr permits Num, Op {}

    /** A number literal. */
    public record Num(Fraction value) implements Expr {}

    /** A binary operation; {@code symbol} is one of {@code + - * /}. */
    public record Op(char symbol, Expr left, Expr right) implements Expr {
        public Op {
            if ("+-*/".indexOf(symbol) < 0) {
                throw new IllegalArgumentException("unknown operator '" + symbol + "'");
            }
        }

        int precedence() {
            return symbol == '+' || symbol == '-' ? 1 : 2;
        }
    }

    /** A syntax error in {@link #parse}: the message says what and where (1-based column). */
    public static final class SyntaxException extends IllegalArgumentException {
        SyntaxException(String message) {
            super(message);
        }
    }

    /** {@code left symbol right}. @throws ArithmeticException on division by zero */
    public static Fraction apply(char symbol, Fraction left, Fraction right) {
        return switch (symbol) {
            case '+' -> left.add(right);
            case '-' -> left.subtract(right);
            case '*' -> left.multiply(right);
            case '/' -> left.divide(right);
            default -> throw new IllegalArgumentException("unknown operator '" + symbol + "'");
        };
    }

    /** @throws ArithmeticException on division by zero */
    public static Fraction evaluate(Expr e) {
        if (e instanceof Num n) {
            return n.value();
        }
        Op op = (Op) e;
        return apply(op.symbol(), evaluate(op.left()), evaluate(op.right()));
    }

    /** The literals in left-to-right order. */
    public static List<Fraction> literals(Expr e) {
        List<Fraction> out = new ArrayList<>();
        collect(e, out);
        return out;
    }

    private static void collect(Expr e, List<Fraction> out) {
        if (e instanceof Num n) {
            out.add(n.value());
        } else {
            Op op = (Op) e;
            collect(op.left(), out);
            collect(op.right(), out);
        }
    }

    /**
     * Infix text with parentheses only where needed; {@code operator} spells each symbol (e.g. {@code \times}) and
     * {@code number} each literal.
     */
    public static String render(Expr e, Function<Character, String> operator, Function<Fraction, String> number) {
        if (e instanceof Num n) {
            return number.apply(n.value());
        }
        Op op = (Op) e;
        String left = render(op.left(), operator, number);
        String right = render(op.right(), operator, number);
        if (op.left() instanceof Op l && l.precedence() < op.precedence()) {
            left = "(" + left + ")";
        }
        // a right operand of equal precedence needs parentheses under - and / (a - (b - c), a / (b * c))
        if (op.right() instanceof Op r
                && (r.precedence() < op.precedence()
                        || (r.precedence() == op.precedence() && (op.symbol() == '-' || op.symbol() == '/')))) {
            right = "(" + right + ")";
        }
        return left + " " + operator.apply(op.symbol()) + " " + right;
    }

    /** Plain ASCII rendering: {@code (3 + 5) * 7}. */
    public static String render(Expr e) {
        return render(e, String::valueOf, Fraction::toString);
    }

    /**
     * Parses non-negative integer literals, {@code + - * /} (also {@code × ÷}), and parentheses, with the usual
     * precedence and left associativity. There is no unary minus.
     *
     * @throws SyntaxException on anything else
     */
    public static Expr parse(String text) {
        Parser p = new Parser(text);
        Expr e = p.expr();
        p.skipSpaces();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        return e;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Expr expr() {
            Expr e = term();
            for (char c = peek(); c == '+' || c == '-'; c = peek()) {
                pos++;
                e = new Op(c, e, term());
            }
            return e;
        }

        Expr term() {
            Expr e = factor();
            for (char c = peek(); c == '*' || c == '/' || c == '×' || c == '÷'; c = peek()) {
                pos++;
                e = new Op(c == '×' ? '*' : c == '÷' ? '/' : c, e, factor());
            }
            return e;
        }

        Expr factor() {
            char c = peek();
            if (c == '(') {
                pos++;
                Expr e = expr();
                if (peek() != ')') {
                    throw error("missing ')'");
                }
                pos++;
                return e;
            }
            if (Character.isDigit(c)) {
                int start = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                if (pos - start > 9) {
                    throw error("number too long");
                }
                return new Num(Fraction.of(Long.parseLong(s.substring(start, pos))));
            }
            if (c == 0) {
                throw error("expression ends too early");
            }
            if (c == '-') {
                throw error("unary minus is not allowed");
            }
            throw error("unexpected '" + c + "'");
        }

        /** The next non-space character, or 0 at the end. */
        char peek() {
            skipSpaces();
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        SyntaxException error(String what) {
            return new SyntaxException("syntax error at column " + (pos + 1) + ": " + what);
        }
    }
}
