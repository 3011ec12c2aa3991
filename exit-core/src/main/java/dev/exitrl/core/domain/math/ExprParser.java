package dev.exitrl.core.domain.math;

import dev.exitrl.core.domain.Fraction;
import dev.exitrl.core.domain.math.Expr.Add;
import dev.exitrl.core.domain.math.Expr.Call;
import dev.exitrl.core.domain.math.Expr.Const;
import dev.exitrl.core.domain.math.Expr.Div;
import dev.exitrl.core.domain.math.Expr.Group;
import dev.exitrl.core.domain.math.Expr.ListOf;
import dev.exitrl.core.domain.math.Expr.Matrix;
import dev.exitrl.core.domain.math.Expr.Mul;
import dev.exitrl.core.domain.math.Expr.Neg;
import dev.exitrl.core.domain.math.Expr.Num;
import dev.exitrl.core.domain.math.Expr.Percent;
import dev.exitrl.core.domain.math.Expr.PlusMinus;
import dev.exitrl.core.domain.math.Expr.Pow;
import dev.exitrl.core.domain.math.Expr.Relation;
import dev.exitrl.core.domain.math.Expr.SetOf;
import dev.exitrl.core.domain.math.Expr.SetOp;
import dev.exitrl.core.domain.math.Expr.Text;
import dev.exitrl.core.domain.math.Expr.Var;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recursive-descent parser from a normalised answer ({@link AnswerNormaliser}) to an {@link Expr}. Grammar,
 * whitespace ignored:
 *
 * <pre>
 * answer   := relation ((',' | ';' | 'or' | 'and') relation)*           several: a bare list
 * relation := setop (relop setop)*                                        = \ne &lt; \le &gt; \ge \in
 * setop    := additive (('\cup' | '\cap' | 'U') additive)*
 * additive := term (('+' | '-' | '\pm' | '\mp') term)*
 * term     := unary (('*' | '\cdot' | '\times' | '/' | '\div' | implicit) postfix)*
 * unary    := ('-' | '+' | '\pm') unary | postfix
 * postfix  := power ('!' | '%')*
 * power    := primary ('^' superscript)?
 * primary  := number | '\frac' arg arg | '\sqrt' ('[' additive ']')? arg | '\binom' arg arg | constant | variable
 *           | function | '(' list ')' | '[' list ']' (mixed brackets: an interval) | '\{' list '\}' | '{' list '}'
 *           | '|' additive '|' | '\lfloor' .. '\rfloor' | '\langle' list '\rangle' | matrix environment
 * </pre>
 *
 * Conventions where LaTeX and model output disagree: a mixed number {@code 3\frac{1}{2}} or {@code 3 1/2} is
 * 3 + 1/2 (not a product); {@code x^23} is {@code x^{23}}; {@code e} is Euler's number and {@code i} the imaginary
 * unit; {@code \log} without a base is the natural logarithm (as in sympy); a run of three or more letters that is
 * not a function name makes the whole answer text ({@link Text}), as does anything this grammar cannot read.
 */
final class ExprParser {
    /** A syntax error; control flow only, so no stack trace. */
    private static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** Nesting deeper than this is not a real answer; refusing it keeps the stack bounded. */
    static final int MAX_DEPTH = 80;

    private static final Set<String> FUNCTIONS = Set.of(
            "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "ln", "log",
            "lg", "exp");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Set<String> TRIG = Set.of("sin", "cos", "tan", "sec", "csc", "cot");
    private static final Set<String> PLAIN_SPECIAL = Set.of("sqrt", "pi", "inf", "infinity", "or", "and");
    private static final Set<String> GREEK = Set.of(
            "alpha",
            "beta",
            "gamma",
            "delta",
            "epsilon",
            "varepsilon",
            "zeta",
            "eta",
            "theta",
            "vartheta",
            "iota",
            "kappa",
            "lambda",
            "mu",
            "nu",
            "xi",
            "rho",
            "sigma",
            "tau",
            "upsilon",
            "phi",
            "varphi",
            "chi",
            "psi",
            "omega",
            "Gamma",
            "Delta",
            "Theta",
            "Lambda",
            "Xi",
            "Sigma",
            "Phi",
            "Psi",
            "Omega");
    /** Two-letter words that are answers in words, not products of two variables. */
    private static final Set<String> SHORT_WORDS = Set.of("no", "is", "if", "of", "to", "be", "it", "so", "as", "an");

    private static final Map<String, String> RELATIONS = Map.ofEntries(
            Map.entry("leq", "<="),
            Map.entry("le", "<="),
            Map.entry("leqslant", "<="),
            Map.entry("geq", ">="),
            Map.entry("ge", ">="),
            Map.entry("geqslant", ">="),
            Map.entry("lt", "<"),
            Map.entry("gt", ">"),
            Map.entry("neq", "!="),
            Map.entry("ne", "!="),
            Map.entry("in", "in"),
            Map.entry("approx", "="),
            Map.entry("equiv", "="));
    private static final Set<String> MATRIX_ENVIRONMENTS =
            Set.of("matrix", "pmatrix", "bmatrix", "Bmatrix", "smallmatrix", "array");

    private final String s;
    private final CheckBudget budget;
    private int pos;
    private int depth;

    private ExprParser(String s, CheckBudget budget) {
        this.s = s;
        this.budget = budget;
    }

    /** The tree of a normalised answer; an answer in words or one that does not parse becomes {@link Text}. */
    static Expr parse(String normalised, CheckBudget budget) {
        if (normalised.isBlank() || hasWords(normalised)) {
            return text(normalised);
        }
        ExprParser p = new ExprParser(normalised, budget);
        try {
            Expr e = p.answer();
            p.ws();
            if (p.pos != p.s.length()) {
                return text(normalised);
            }
            return e;
        } catch (Failure | ArithmeticException | NumberFormatException | StringIndexOutOfBoundsException e) {
            return text(normalised);
        }
    }

    /** Text as compared: lower case, single spaces, no trailing punctuation. */
    static Text text(String s) {
        String t =
                WHITESPACE.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
        int end = t.length();
        while (end > 0 && ".,;:!".indexOf(t.charAt(end - 1)) >= 0) {
            end--;
        }
        return new Text(t.substring(0, end).strip());
    }

    /** True when the answer has a word that is not a function name: "no solution", "odd", "Monday". */
    static boolean hasWords(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                int j = i + 1;
                while (j < s.length() && isAsciiLetter(s.charAt(j))) {
                    j++;
                }
                String command = s.substring(i + 1, j);
                if ((command.equals("begin") || command.equals("end")) && j < s.length() && s.charAt(j) == '{') {
                    int close = s.indexOf('}', j);
                    j = close < 0 ? s.length() : close + 1;
                }
                i = Math.max(j, i + 2);
            } else if (Character.isLetter(c)) {
                int j = i;
                while (j < s.length() && Character.isLetter(s.charAt(j))) {
                    j++;
                }
                String word = s.substring(i, j);
                if (!isMathWord(word)) {
                    return true;
                }
                i = j;
            } else {
                i++;
            }
        }
        return false;
    }

    private static boolean isMathWord(String word) {
        for (int k = 0; k < word.length(); k++) {
            if (!isAsciiLetter(word.charAt(k))) {
                return false;
            }
        }
        if (FUNCTIONS.contains(word) || PLAIN_SPECIAL.contains(word)) {
            return true;
        }
        return word.length() < 3 && !SHORT_WORDS.contains(word.toLowerCase(Locale.ROOT));
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    // ---------------------------------------------------------------------------------------------- grammar

    private Expr answer() {
        List<Expr> items = new ArrayList<>();
        items.add(relation());
        while (eat(',') || eat(';') || eatWord("or") || eatWord("and")) {
            items.add(relation());
        }
        return items.size() == 1 ? items.get(0) : new ListOf(List.copyOf(items));
    }

    private Expr relation() {
        List<Expr> operands = new ArrayList<>();
        List<String> ops = new ArrayList<>();
        operands.add(setOp());
        String op;
        while ((op = relationOperator()) != null) {
            ops.add(op);
            operands.add(setOp());
        }
        return ops.isEmpty() ? operands.get(0) : new Relation(List.copyOf(operands), List.copyOf(ops));
    }

    private String relationOperator() {
        ws();
        for (String two : List.of("<=", ">=", "!=")) {
            if (s.startsWith(two, pos)) {
                pos += 2;
                return two;
            }
        }
        if (eat('=')) {
            return "=";
        }
        if (eat('<')) {
            return "<";
        }
        if (eat('>')) {
            return ">";
        }
        String command = peekCommand();
        if (command != null && RELATIONS.containsKey(command)) {
            pos += command.length() + 1;
            return RELATIONS.get(command);
        }
        return null;
    }

    private Expr setOp() {
        Expr first = additive();
        List<Expr> parts = new ArrayList<>(List.of(first));
        String op = null;
        while (true) {
            ws();
            String next;
            if (eatCommand("cup")) {
                next = "cup";
            } else if (eatCommand("cap")) {
                next = "cap";
            } else if (atUnionLetter()) {
                pos++;
                next = "cup";
            } else {
                break;
            }
            if (op != null && !op.equals(next)) {
                throw new Failure("mixed union and intersection");
            }
            op = next;
            parts.add(additive());
        }
        return op == null ? first : new SetOp(op, List.copyOf(parts));
    }

    /** A capital U between two intervals, as in {@code (-\infty, 1) U (2, \infty)}. */
    private boolean atUnionLetter() {
        if (pos >= s.length() || s.charAt(pos) != 'U' || pos == 0) {
            return false;
        }
        char before = s.charAt(pos - 1);
        int after = pos + 1;
        while (after < s.length() && s.charAt(after) == ' ') {
            after++;
        }
        return (before == ' ' || before == ')' || before == ']')
                && after < s.length()
                && (s.charAt(after) == '(' || s.charAt(after) == '[');
    }

    private Expr additive() {
        List<Expr> terms = new ArrayList<>();
        terms.add(term());
        while (true) {
            ws();
            if (eat('+')) {
                terms.add(term());
            } else if (eat('-')) {
                terms.add(new Neg(term()));
            } else if (eatCommand("pm")) {
                Expr left = sum(terms);
                terms = new ArrayList<>(List.of(new PlusMinus(left, term())));
            } else if (eatCommand("mp")) {
                Expr left = sum(terms);
                terms = new ArrayList<>(List.of(new PlusMinus(left, new Neg(term()))));
            } else {
                break;
            }
        }
        return sum(terms);
    }

    private static Expr sum(List<Expr> terms) {
        return terms.size() == 1 ? terms.get(0) : new Add(List.copyOf(terms));
    }

    private Expr term() {
        Expr current = unary();
        while (true) {
            ws();
            if (eat('*') || eatCommand("cdot") || eatCommand("times")) {
                current = multiply(current, unary());
            } else if (eat('/') || eatCommand("div")) {
                current = new Div(current, unary());
            } else if (startsImplicitFactor(current)) {
                current = implicitFactor(current);
            } else {
                return current;
            }
        }
    }

    /** The next factor of a product without an operator; a mixed number when an integer meets a fraction. */
    private Expr implicitFactor(Expr current) {
        Expr whole = current instanceof Neg negative ? negative.operand() : current;
        if (isNaturalLiteral(whole)) {
            int mark = pos;
            Expr fraction = mixedFraction();
            if (fraction != null) {
                Expr mixed = new Add(List.of(whole, fraction));
                return current instanceof Neg ? new Neg(mixed) : mixed; // -2\frac14 is -(2 + 1/4)
            }
            pos = mark;
        }
        char c = s.charAt(pos);
        if (Character.isDigit(c) || c == '.') {
            throw new Failure("two numbers side by side");
        }
        return multiply(current, postfix());
    }

    /** The fraction part of a mixed number ({@code \frac{1}{2}} or {@code 1/2} of natural literals), or null. */
    private Expr mixedFraction() {
        if ("frac".equals(peekCommand())) {
            Expr fraction = postfix();
            return fraction instanceof Div d && isNaturalLiteral(d.numerator()) && isNaturalLiteral(d.denominator())
                    ? fraction
                    : null;
        }
        if (!Character.isDigit(s.charAt(pos))) {
            return null;
        }
        Expr numerator = number();
        if (!isNaturalLiteral(numerator) || !eat('/')) {
            return null;
        }
        ws();
        if (pos >= s.length() || !Character.isDigit(s.charAt(pos))) {
            return null;
        }
        Expr denominator = number();
        return isNaturalLiteral(denominator) ? new Div(numerator, denominator) : null;
    }

    private static boolean isNaturalLiteral(Expr e) {
        return e instanceof Num n
                && n.floatDigits() == 0
                && n.value().isInteger()
                && n.value().signum() > 0;
    }

    private boolean startsImplicitFactor(Expr current) {
        if (pos >= s.length()) {
            return false;
        }
        char c = s.charAt(pos);
        if (Character.isDigit(c) || c == '.' || c == '(' || c == '{') {
            return true;
        }
        if (isAsciiLetter(c)) {
            return !atWord("or") && !atWord("and") && !(c == 'U' && atUnionLetter());
        }
        if (c == '\\') {
            String command = peekCommand();
            return command != null
                    && (command.equals("frac")
                            || command.equals("sqrt")
                            || command.equals("pi")
                            || command.equals("binom")
                            || command.equals("infty")
                            || command.equals("lfloor")
                            || command.equals("lceil")
                            || FUNCTIONS.contains(command)
                            || GREEK.contains(command));
        }
        return false;
    }

    private static Expr multiply(Expr a, Expr b) {
        List<Expr> factors = new ArrayList<>();
        for (Expr e : List.of(a, b)) {
            if (e instanceof Mul m) {
                factors.addAll(m.factors());
            } else {
                factors.add(e);
            }
        }
        return new Mul(List.copyOf(factors));
    }

    private Expr unary() {
        enter();
        try {
            ws();
            if (eat('-')) {
                return new Neg(unary());
            }
            if (eat('+')) {
                return unary();
            }
            if (eatCommand("pm")) {
                return new PlusMinus(Num.of(0), unary());
            }
            if (eatCommand("mp")) {
                return new PlusMinus(Num.of(0), new Neg(unary()));
            }
            return postfix();
        } finally {
            depth--;
        }
    }

    private Expr postfix() {
        Expr e = power();
        while (true) {
            ws();
            if (pos < s.length() && s.charAt(pos) == '!' && !s.startsWith("!=", pos)) {
                pos++;
                e = new Call("fact", List.of(e));
            } else if (eat('%')) {
                e = new Percent(e);
            } else {
                return e;
            }
        }
    }

    private Expr power() {
        Expr base = primary();
        ws();
        if (eat('^')) {
            return new Pow(base, superscript());
        }
        return base;
    }

    private Expr superscript() {
        ws();
        if (eat('{')) {
            Expr e = additive();
            expect('}');
            return e;
        }
        if (eat('-')) {
            return new Neg(superscript());
        }
        if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            return number();
        }
        if (pos < s.length() && isAsciiLetter(s.charAt(pos))) {
            return letter();
        }
        return primary();
    }

    private Expr primary() {
        enter();
        try {
            budget.check();
            ws();
            if (pos >= s.length()) {
                throw new Failure("unexpected end");
            }
            char c = s.charAt(pos);
            if (Character.isDigit(c) || c == '.') {
                return number();
            }
            if (c == '(' || c == '[') {
                return group();
            }
            if (c == '{') {
                pos++;
                Expr inner = answer();
                expect('}');
                return inner instanceof ListOf list ? new SetOf(list.items()) : inner;
            }
            if (c == '|') {
                pos++;
                Expr inner = additive();
                expect('|');
                return new Call("abs", List.of(inner));
            }
            if (s.startsWith("\\{", pos)) {
                return set();
            }
            if (c == '\\') {
                return command();
            }
            if (isAsciiLetter(c)) {
                return letter();
            }
            throw new Failure("unexpected '" + c + "'");
        } finally {
            depth--;
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new Failure("nested too deeply");
        }
    }

    private Expr number() {
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
        }
        boolean decimal = false;
        if (pos < s.length() && s.charAt(pos) == '.') {
            decimal = true;
            pos++;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
        }
        String literal = s.substring(start, pos);
        if (literal.equals(".")) {
            throw new Failure("lone point");
        }
        String repeating = repeatingDigits();
        if (repeating != null) {
            return new Num(repeatingDecimal(literal, repeating), 0);
        }
        Fraction value = decimal(literal);
        int digits = decimal ? significantDigits(literal) : 0;
        if (pos + 1 < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            int sign = 1;
            if (s.charAt(pos) == '-' || s.charAt(pos) == '+') {
                sign = s.charAt(pos) == '-' ? -1 : 1;
                pos++;
            }
            int expStart = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && pos - expStart < 4) {
                pos++;
            }
            if (pos == expStart || (pos < s.length() && Character.isDigit(s.charAt(pos)))) {
                pos = mark; // 2e is 2 times e; a longer exponent is not scientific notation
            } else {
                int exponent = sign * Integer.parseInt(s.substring(expStart, pos));
                Fraction scale = Fraction.of(BigInteger.TEN.pow(Math.abs(exponent)), BigInteger.ONE);
                value = exponent >= 0 ? value.multiply(scale) : value.divide(scale);
                digits = Math.max(1, significantDigits(literal));
            }
        }
        return new Num(value, digits);
    }

    /** A literal of digits with at most one point ({@code 12}, {@code 1.5}, {@code .5}, {@code 5.}), exactly. */
    private static Fraction decimal(String literal) {
        BigDecimal value = new BigDecimal(literal.endsWith(".") ? literal + "0" : literal);
        if (value.scale() <= 0) {
            return Fraction.of(value.toBigIntegerExact(), BigInteger.ONE);
        }
        return Fraction.of(value.unscaledValue(), BigInteger.TEN.pow(value.scale()));
    }

    private static int significantDigits(String literal) {
        String digits = literal.replace(".", "");
        int leadingZeros = 0;
        while (leadingZeros < digits.length() && digits.charAt(leadingZeros) == '0') {
            leadingZeros++;
        }
        return Math.max(1, digits.length() - leadingZeros);
    }

    /** The digits under {@code \overline{..}} or {@code \bar{..}} right after a decimal, or null. */
    private String repeatingDigits() {
        for (String bar : List.of("\\overline{", "\\bar{", "\\dot{")) {
            if (s.startsWith(bar, pos)) {
                int close = s.indexOf('}', pos);
                String digits =
                        close < 0 ? "" : s.substring(pos + bar.length(), close).strip();
                if (!digits.isEmpty() && digits.length() <= 50 && digits.chars().allMatch(Character::isDigit)) {
                    pos = close + 1;
                    return digits;
                }
            }
        }
        return null;
    }

    /** {@code 0.1\overline{6}} = 0.1666... = 1/6: the fixed part plus the repeating block over 99..9 shifted. */
    private static Fraction repeatingDecimal(String literal, String repeating) {
        String whole = literal.contains(".") ? literal.substring(0, literal.indexOf('.')) : literal;
        String fixed = literal.contains(".") ? literal.substring(literal.indexOf('.') + 1) : "";
        Fraction base = decimal((whole.isEmpty() ? "0" : whole) + (fixed.isEmpty() ? "" : "." + fixed));
        BigInteger block = new BigInteger(repeating);
        BigInteger nines = BigInteger.TEN.pow(repeating.length()).subtract(BigInteger.ONE);
        BigInteger shift = BigInteger.TEN.pow(fixed.length());
        return base.add(Fraction.of(block, nines.multiply(shift)));
    }

    /** {@code (a, b)}, {@code [a, b)}, ...; a single item in matching brackets is just grouping. */
    private Expr group() {
        char open = s.charAt(pos++);
        List<Expr> items = new ArrayList<>();
        items.add(relation());
        while (eat(',')) {
            items.add(relation());
        }
        ws();
        if (pos >= s.length() || (s.charAt(pos) != ')' && s.charAt(pos) != ']')) {
            throw new Failure("unclosed bracket");
        }
        char close = s.charAt(pos++);
        if (items.size() == 1) {
            if ((open == '(') == (close == ')')) {
                return items.get(0);
            }
            throw new Failure("mismatched brackets around one item");
        }
        return new Group(open, close, List.copyOf(items));
    }

    private Expr set() {
        pos += 2;
        List<Expr> items = new ArrayList<>();
        ws();
        if (!s.startsWith("\\}", pos)) {
            items.add(relation());
            while (eat(',')) {
                items.add(relation());
            }
        }
        ws();
        if (!s.startsWith("\\}", pos)) {
            throw new Failure("unclosed set");
        }
        pos += 2;
        return new SetOf(List.copyOf(items));
    }

    private Expr letter() {
        int end = pos;
        while (end < s.length() && isAsciiLetter(s.charAt(end))) {
            end++;
        }
        String run = s.substring(pos, end);
        if (FUNCTIONS.contains(run)) {
            pos = end;
            return function(run);
        }
        switch (run) {
            case "sqrt" -> {
                pos = end;
                return sqrt();
            }
            case "pi" -> {
                pos = end;
                return Const.PI;
            }
            case "inf", "infinity" -> {
                pos = end;
                return Const.INFINITY;
            }
            default -> {
                // one letter: adjacent letters are a product (xy)
            }
        }
        char c = s.charAt(pos++);
        if (c == 'e' && !atSubscript()) {
            return Const.E;
        }
        if (c == 'i' && !atSubscript()) {
            return Const.I;
        }
        return new Var(String.valueOf(c) + subscript());
    }

    private boolean atSubscript() {
        return pos < s.length() && s.charAt(pos) == '_';
    }

    /** {@code _1}, {@code _{12}} as part of a variable's name ({@code "_12"}), or "" when there is none. */
    private String subscript() {
        if (!eat('_')) {
            return "";
        }
        ws();
        if (pos >= s.length()) {
            throw new Failure("empty subscript");
        }
        if (s.charAt(pos) == '{') {
            int close = s.indexOf('}', pos);
            if (close < 0) {
                throw new Failure("unclosed subscript");
            }
            String content = WHITESPACE.matcher(s.substring(pos + 1, close)).replaceAll("");
            pos = close + 1;
            return "_" + content;
        }
        return "_" + s.charAt(pos++);
    }

    private Expr command() {
        String name = peekCommand();
        if (name == null) {
            throw new Failure("not a command at " + pos);
        }
        pos += name.length() + 1;
        if (FUNCTIONS.contains(name)) {
            return function(name);
        }
        if (GREEK.contains(name)) {
            return new Var(name + subscript());
        }
        return switch (name) {
            case "frac" -> {
                Expr numerator = arg();
                yield new Div(numerator, arg());
            }
            case "sqrt" -> sqrt();
            case "binom" -> {
                Expr n = arg();
                yield new Call("binom", List.of(n, arg()));
            }
            case "pi" -> Const.PI;
            case "infty", "infinity" -> Const.INFINITY;
            case "emptyset", "varnothing" -> new SetOf(List.of());
            case "lfloor" -> enclosed("floor", "rfloor");
            case "lceil" -> enclosed("ceil", "rceil");
            case "langle" -> angleTuple();
            case "begin" -> matrix();
            default -> throw new Failure("unknown command \\" + name);
        };
    }

    private Expr enclosed(String function, String closing) {
        Expr inner = additive();
        if (!eatCommand(closing)) {
            throw new Failure("expected \\" + closing);
        }
        return new Call(function, List.of(inner));
    }

    /** {@code \langle 1, 2 \rangle}: a vector, compared like the tuple {@code (1, 2)}. */
    private Expr angleTuple() {
        List<Expr> items = new ArrayList<>();
        items.add(additive());
        while (eat(',')) {
            items.add(additive());
        }
        if (!eatCommand("rangle")) {
            throw new Failure("expected \\rangle");
        }
        return items.size() == 1 ? items.get(0) : new Group('(', ')', List.copyOf(items));
    }

    private Expr sqrt() {
        ws();
        Expr index = null;
        if (eat('[')) {
            index = additive();
            expect(']');
        }
        Expr radicand = arg();
        return index == null ? new Call("sqrt", List.of(radicand)) : new Call("root", List.of(radicand, index));
    }

    /**
     * A function with an optional base ({@code \log_2}), power ({@code \sin^2 x}; {@code ^{-1}} is the inverse) and
     * an argument in parentheses, in braces, or bare ({@code \sin 2x}: the implicit product that follows).
     */
    private Expr function(String name) {
        Expr base = null;
        Expr power = null;
        for (int k = 0; k < 2; k++) {
            ws();
            if (name.equals("log") && base == null && eat('_')) {
                base = superscript();
            } else if (power == null && eat('^')) {
                power = superscript();
            }
        }
        if (power != null && TRIG.contains(name) && power.equals(new Neg(Num.of(1)))) {
            name = "arc" + name;
            power = null;
        }
        ws();
        Expr argument;
        if (eat('(')) {
            argument = additive();
            expect(')');
        } else if (eat('{')) {
            argument = additive();
            expect('}');
        } else {
            argument = unaryArgument();
        }
        List<Expr> args = base == null ? List.of(argument) : List.of(argument, base);
        Expr call = switch (name) {
            case "lg" -> new Call("log", List.of(argument, Num.of(10)));
            case "exp" -> new Pow(Const.E, argument);
            default -> new Call(name, args);
        };
        return power == null ? call : new Pow(call, power);
    }

    private Expr unaryArgument() {
        ws();
        if (eat('-')) {
            return new Neg(unaryArgument());
        }
        Expr argument = postfix();
        while (true) {
            ws();
            String command = peekCommand();
            boolean nextIsFunction = command != null && FUNCTIONS.contains(command);
            if (nextIsFunction || pos >= s.length() || s.charAt(pos) == '(' || !startsImplicitFactor(argument)) {
                return argument;
            }
            argument = multiply(argument, postfix());
        }
    }

    /** A command argument: a brace group, or one digit or letter or command as in {@code \frac12}, {@code \sqrt2}. */
    private Expr arg() {
        ws();
        if (eat('{')) {
            Expr e = additive();
            expect('}');
            return e;
        }
        if (pos >= s.length()) {
            throw new Failure("missing argument");
        }
        char c = s.charAt(pos);
        if (Character.isDigit(c)) {
            pos++;
            return new Num(Fraction.of(c - '0'), 0);
        }
        if (isAsciiLetter(c)) {
            pos++;
            return c == 'e' ? Const.E : c == 'i' ? Const.I : new Var(String.valueOf(c));
        }
        if (c == '\\') {
            return command();
        }
        throw new Failure("bad argument");
    }

    private Expr matrix() {
        ws();
        int close = s.indexOf('}', pos);
        if (!eat('{') || close < 0) {
            throw new Failure("bad environment");
        }
        String environment = s.substring(pos, close).strip();
        pos = close + 1;
        if (!MATRIX_ENVIRONMENTS.contains(environment)) {
            throw new Failure("unsupported environment " + environment);
        }
        if (environment.equals("array")) {
            ws();
            int specEnd = s.indexOf('}', pos);
            if (!eat('{') || specEnd < 0) {
                throw new Failure("array without a column spec");
            }
            pos = specEnd + 1;
        }
        List<List<Expr>> rows = new ArrayList<>();
        List<Expr> row = new ArrayList<>();
        while (true) {
            ws();
            if (s.startsWith("\\end", pos)) {
                break;
            }
            row.add(additive());
            ws();
            if (eat('&')) {
                continue;
            }
            if (s.startsWith("\\\\", pos)) {
                pos += 2;
                rows.add(List.copyOf(row));
                row = new ArrayList<>();
                continue;
            }
            if (!s.startsWith("\\end", pos)) {
                throw new Failure("bad matrix cell");
            }
        }
        if (!row.isEmpty()) {
            rows.add(List.copyOf(row));
        }
        String end = "\\end{" + environment + "}";
        if (!s.startsWith(end, pos) || rows.isEmpty()) {
            throw new Failure("bad matrix end");
        }
        pos += end.length();
        int width = rows.get(0).size();
        if (rows.stream().anyMatch(r -> r.size() != width)) {
            throw new Failure("ragged matrix");
        }
        return new Matrix(List.copyOf(rows));
    }

    // ---------------------------------------------------------------------------------------------- lexing

    private void ws() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private boolean eat(char c) {
        ws();
        if (pos < s.length() && s.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!eat(c)) {
            throw new Failure("expected '" + c + "' at " + pos);
        }
    }

    /** The name of the command at the cursor ({@code frac} for {@code \frac}), or null. */
    private String peekCommand() {
        if (pos >= s.length() || s.charAt(pos) != '\\') {
            return null;
        }
        int end = pos + 1;
        while (end < s.length() && isAsciiLetter(s.charAt(end))) {
            end++;
        }
        return end == pos + 1 ? null : s.substring(pos + 1, end);
    }

    private boolean eatCommand(String name) {
        ws();
        if (name.equals(peekCommand())) {
            pos += name.length() + 1;
            return true;
        }
        return false;
    }

    private boolean atWord(String word) {
        int end = pos + word.length();
        return s.startsWith(word, pos) && (end >= s.length() || !isAsciiLetter(s.charAt(end)));
    }

    private boolean eatWord(String word) {
        ws();
        if (atWord(word)) {
            pos += word.length();
            return true;
        }
        return false;
    }
}
