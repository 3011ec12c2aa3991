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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Decides whether a predicted answer tree states the reference's answer. The reference leads: its shape decides
 * how the prediction is read (see {@link MathChecker} for the rules and the numbers chosen).
 */
final class AnswerComparator {
    /** Random points at which two expressions with variables must agree. */
    static final int POINTS = 6;
    /** Of those, at least this many must be points where both sides are defined. */
    static final int MIN_DEFINED_POINTS = 3;
    /** Relative tolerance for values that are only known approximately (radicals, pi, trigonometry). */
    static final double RELATIVE_TOLERANCE = 1e-9;
    /** A decimal answer is compared to at least this many significant digits (more when it writes more). */
    static final int FLOAT_DIGITS = 6;
    /** ± expansions beyond this many variants are not answers. */
    private static final int MAX_VARIANTS = 16;

    private static final long SEED = 0x5eed_ca1cL;
    private static final Pattern BRACES_AND_SPACES = Pattern.compile("[\\s{}]+");

    private final CheckBudget budget;

    AnswerComparator(CheckBudget budget) {
        this.budget = budget;
    }

    boolean equal(Expr ref, Expr pred) {
        budget.check();
        if (ref.equals(pred)) {
            return true;
        }
        if (contains(ref, PlusMinus.class) || contains(pred, PlusMinus.class)) {
            Expr r = expandPlusMinus(ref);
            Expr p = expandPlusMinus(pred);
            if (!r.equals(ref) || !p.equals(pred)) {
                return equal(r, p);
            }
        }
        if (!(ref instanceof Relation) && pred instanceof Relation p && isAssignment(p)) {
            // "x = 3" answers 3: read the right-hand side (or the left one when the right is the lone variable);
            // a side without variables must be the answer too, so "1 = 5" is no way to state 5
            boolean swap = p.operands().get(1) instanceof Var && !(p.operands().get(0) instanceof Var);
            Expr answer = p.operands().get(swap ? 0 : 1);
            Expr other = p.operands().get(swap ? 1 : 0);
            return equal(ref, answer) && (contains(other, Var.class) || equal(ref, other));
        }
        if (ref instanceof Text t) {
            return pred instanceof Text pt && compact(t.text()).equals(compact(pt.text()));
        }
        if (ref instanceof ListOf list) {
            List<Expr> items = itemsOfList(pred);
            if (items == null && pred instanceof SetOp) {
                // "x < -1 or x > 1" accepts (-\infty, -1) \cup (1, \infty)
                Expr union = unionOfIntervals(list.items());
                return union != null && equal(union, pred);
            }
            return items != null && multisetMatch(list.items(), items);
        }
        if (ref instanceof SetOf set) {
            List<Expr> items = itemsOfList(pred);
            if (items != null) {
                return setMatch(set.items(), items);
            }
            return set.items().size() == 1 && equal(set.items().get(0), pred);
        }
        if (ref instanceof Group g) {
            return groupEqual(g, pred);
        }
        if (ref instanceof Matrix m) {
            return matrixEqual(m, pred);
        }
        if (ref instanceof SetOp op) {
            return pred instanceof SetOp pop && op.op().equals(pop.op()) && multisetMatch(op.parts(), pop.parts());
        }
        if (ref instanceof Relation r) {
            return relationEqual(r, pred);
        }
        return valueEqual(ref, pred);
    }

    // ------------------------------------------------------------------------------------------ collections

    /** The items of a bare list or set prediction, or null when it is neither. */
    private static List<Expr> itemsOfList(Expr pred) {
        if (pred instanceof ListOf l) {
            return l.items();
        }
        if (pred instanceof SetOf s) {
            return s.items();
        }
        return null;
    }

    /** Same size, and a one-to-one pairing of equal items (greedy, in the reference's order). */
    private boolean multisetMatch(List<Expr> ref, List<Expr> pred) {
        if (ref.size() != pred.size()) {
            return false;
        }
        boolean[] used = new boolean[pred.size()];
        for (Expr r : ref) {
            int match = -1;
            for (int j = 0; j < pred.size() && match < 0; j++) {
                if (!used[j] && equal(r, pred.get(j))) {
                    match = j;
                }
            }
            if (match < 0) {
                return false;
            }
            used[match] = true;
        }
        return true;
    }

    /** Every reference item is in the prediction and every predicted item is in the reference. */
    private boolean setMatch(List<Expr> ref, List<Expr> pred) {
        if (pred.isEmpty() != ref.isEmpty()) {
            return false;
        }
        for (Expr r : ref) {
            if (pred.stream().noneMatch(p -> equal(r, p))) {
                return false;
            }
        }
        for (Expr p : pred) {
            if (ref.stream().noneMatch(r -> equal(r, p))) {
                return false;
            }
        }
        return true;
    }

    /** Tuples and intervals: same brackets, same length, equal item by item. A vector may be written as a matrix. */
    private boolean groupEqual(Group ref, Expr pred) {
        if (pred instanceof Group p) {
            return ref.open() == p.open() && ref.close() == p.close() && pairwise(ref.items(), p.items());
        }
        if (pred instanceof Matrix m && ref.open() == '(' && ref.close() == ')') {
            List<Expr> vector = vectorOf(m);
            return vector != null && pairwise(ref.items(), vector);
        }
        return false;
    }

    private boolean matrixEqual(Matrix ref, Expr pred) {
        if (pred instanceof Matrix p) {
            if (ref.rows().size() != p.rows().size()) {
                return false;
            }
            for (int i = 0; i < ref.rows().size(); i++) {
                if (!pairwise(ref.rows().get(i), p.rows().get(i))) {
                    return false;
                }
            }
            return true;
        }
        List<Expr> vector = vectorOf(ref);
        return vector != null && pred instanceof Group g && g.open() == '(' && pairwise(vector, g.items());
    }

    /** The cells of a one-column or one-row matrix, or null. */
    private static List<Expr> vectorOf(Matrix m) {
        if (m.rows().size() == 1) {
            return m.rows().get(0);
        }
        if (m.rows().stream().allMatch(r -> r.size() == 1)) {
            return m.rows().stream().map(r -> r.get(0)).toList();
        }
        return null;
    }

    private boolean pairwise(List<Expr> ref, List<Expr> pred) {
        if (ref.size() != pred.size()) {
            return false;
        }
        for (int i = 0; i < ref.size(); i++) {
            if (!equal(ref.get(i), pred.get(i))) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------ relations

    private boolean relationEqual(Relation ref, Expr pred) {
        Relation r = canonical(ref);
        if (pred instanceof Relation p) {
            return sameRelation(r, canonical(p));
        }
        if (isAssignment(r)) {
            // the reference "x = 3" (or "x \in [0, 1]") accepts the bare value
            return r.operands().get(0) instanceof Var && equal(r.operands().get(1), pred);
        }
        Expr interval = asInterval(r);
        return interval != null && equal(interval, pred);
    }

    /** {@code >} and {@code >=} chains read right to left as {@code <}; a lone variable moves to the left of {@code =}. */
    private static Relation canonical(Relation r) {
        List<String> ops = r.ops();
        if (ops.stream().allMatch(op -> op.equals(">") || op.equals(">="))) {
            List<Expr> operands = new ArrayList<>(r.operands());
            Collections.reverse(operands);
            List<String> flipped = new ArrayList<>();
            for (int i = ops.size() - 1; i >= 0; i--) {
                flipped.add(ops.get(i).equals(">") ? "<" : "<=");
            }
            return new Relation(List.copyOf(operands), List.copyOf(flipped));
        }
        if (ops.size() == 1
                && (ops.get(0).equals("=") || ops.get(0).equals("!="))
                && r.operands().get(1) instanceof Var
                && !(r.operands().get(0) instanceof Var)) {
            return new Relation(List.of(r.operands().get(1), r.operands().get(0)), ops);
        }
        return r;
    }

    private boolean sameRelation(Relation ref, Relation pred) {
        if (!ref.ops().equals(pred.ops())) {
            return false;
        }
        if (ref.ops().size() > 1) {
            return pairwise(ref.operands(), pred.operands());
        }
        String op = ref.ops().get(0);
        Expr refLeft = ref.operands().get(0);
        Expr predLeft = pred.operands().get(0);
        if (refLeft instanceof Var && refLeft.equals(predLeft) && (op.equals("=") || op.equals("in"))) {
            return equal(ref.operands().get(1), pred.operands().get(1));
        }
        if (op.equals("in")) {
            return false;
        }
        Expr refDifference = difference(ref);
        Expr predDifference = difference(pred);
        boolean inequality = op.equals("<") || op.equals("<=");
        return valueEqual(refDifference, predDifference) || proportional(refDifference, predDifference, inequality);
    }

    private static Expr difference(Relation r) {
        return new Add(List.of(r.operands().get(0), new Neg(r.operands().get(1))));
    }

    /** {@code 1 < x <= 2} as {@code (1, 2]}, {@code x > 3} as {@code (3, \infty)}; null for other relations. */
    private static Expr asInterval(Relation r) {
        List<String> ops = r.ops();
        List<Expr> o = r.operands();
        if (ops.equals(List.of("!=")) && o.get(0) instanceof Var) {
            return new SetOp(
                    "cup",
                    List.of(
                            new Group('(', ')', List.of(new Neg(Const.INFINITY), o.get(1))),
                            new Group('(', ')', List.of(o.get(1), Const.INFINITY))));
        }
        if (!ops.stream().allMatch(op -> op.equals("<") || op.equals("<="))) {
            return null;
        }
        if (ops.size() == 2 && o.get(1) instanceof Var) {
            return new Group(
                    ops.get(0).equals("<") ? '(' : '[',
                    ops.get(1).equals("<") ? ')' : ']',
                    List.of(o.get(0), o.get(2)));
        }
        if (ops.size() == 1 && o.get(0) instanceof Var) {
            return new Group('(', ops.get(0).equals("<") ? ')' : ']', List.of(new Neg(Const.INFINITY), o.get(1)));
        }
        if (ops.size() == 1 && o.get(1) instanceof Var) {
            return new Group(ops.get(0).equals("<") ? '(' : '[', ')', List.of(o.get(0), Const.INFINITY));
        }
        return null;
    }

    /** The union of the intervals of a list of one-variable inequalities, or null when an item is not one. */
    private static Expr unionOfIntervals(List<Expr> items) {
        List<Expr> parts = new ArrayList<>();
        for (Expr item : items) {
            Expr interval = item instanceof Relation r ? asInterval(canonical(r)) : null;
            if (!(interval instanceof Group)) {
                return null;
            }
            parts.add(interval);
        }
        return new SetOp("cup", List.copyOf(parts));
    }

    // ------------------------------------------------------------------------------------------ values

    private static boolean isAssignment(Relation r) {
        return r.ops().size() == 1
                && (r.ops().get(0).equals("=") || r.ops().get(0).equals("in"));
    }

    private boolean valueEqual(Expr ref, Expr pred) {
        if (pred instanceof SetOf s && s.items().size() == 1) {
            return equal(ref, s.items().get(0));
        }
        if (!isValue(pred) || !isValue(ref)) {
            return false;
        }
        if (numericEqual(ref, pred)) {
            return true;
        }
        if (contains(ref, Percent.class) || contains(pred, Percent.class)) {
            return numericEqual(withoutPercent(ref), withoutPercent(pred));
        }
        return false;
    }

    private static boolean isValue(Expr e) {
        return !(e instanceof Group
                || e instanceof SetOf
                || e instanceof ListOf
                || e instanceof SetOp
                || e instanceof Matrix
                || e instanceof Relation
                || e instanceof Text);
    }

    /**
     * Numeric equality: once when there are no variables, else at {@link #POINTS} random points (exact rationals, so
     * polynomials and rational functions are compared exactly) at least {@link #MIN_DEFINED_POINTS} of which must be
     * defined on both sides.
     */
    private boolean numericEqual(Expr ref, Expr pred) {
        int digits = Math.max(floatDigits(ref), floatDigits(pred));
        Set<String> variables = new TreeSet<>();
        collectVariables(ref, variables);
        collectVariables(pred, variables);
        try {
            if (variables.isEmpty()) {
                Numeric r = evaluate(ref, Map.of());
                Numeric p = evaluate(pred, Map.of());
                return r != null && p != null && close(r, p, digits);
            }
            SplittableRandom random = new SplittableRandom(SEED);
            int defined = 0;
            for (int attempt = 0; attempt < 2 * POINTS && defined < POINTS; attempt++) {
                Map<String, Numeric> point = randomPoint(variables, random);
                Numeric r = evaluate(ref, point);
                Numeric p = evaluate(pred, point);
                if (r == null || p == null) {
                    continue;
                }
                if (!close(r, p, digits)) {
                    return false;
                }
                defined++;
            }
            return defined >= MIN_DEFINED_POINTS;
        } catch (ExprEvaluator.NotNumeric e) {
            return false;
        }
    }

    /** {@code a = c b} for one constant {@code c} (positive for inequalities): {@code 2x + 2y = 4} is {@code x + y = 2}. */
    private boolean proportional(Expr ref, Expr pred, boolean positive) {
        Set<String> variables = new TreeSet<>();
        collectVariables(ref, variables);
        collectVariables(pred, variables);
        SplittableRandom random = new SplittableRandom(SEED);
        Numeric ratio = null;
        int defined = 0;
        try {
            for (int attempt = 0; attempt < 2 * POINTS && defined < POINTS; attempt++) {
                Map<String, Numeric> point = randomPoint(variables, random);
                Numeric r = evaluate(ref, point);
                Numeric p = evaluate(pred, point);
                if (r == null || p == null || r.abs() == 0 || p.abs() == 0) {
                    continue;
                }
                Numeric q;
                try {
                    q = p.divide(r);
                } catch (ArithmeticException e) {
                    continue;
                }
                if (ratio == null) {
                    if (positive && !(q.im() == 0 && q.re() > 0)) {
                        return false;
                    }
                    ratio = q;
                } else if (!close(ratio, q, 0)) {
                    return false;
                }
                defined++;
                if (variables.isEmpty()) {
                    break;
                }
            }
        } catch (ExprEvaluator.NotNumeric e) {
            return false;
        }
        return variables.isEmpty() ? defined == 1 : defined >= MIN_DEFINED_POINTS;
    }

    /** Small rationals of both signs, so that polynomials evaluate exactly and sign mistakes show. */
    private static Map<String, Numeric> randomPoint(Set<String> variables, SplittableRandom random) {
        Map<String, Numeric> point = new HashMap<>();
        for (String v : variables) {
            int numerator = random.nextInt(1, 40) * (random.nextBoolean() ? 1 : -1);
            int denominator = random.nextInt(1, 8);
            point.put(v, Numeric.exact(Fraction.of(numerator, denominator)));
        }
        return point;
    }

    /** The value, or null where it is undefined (division by zero, overflow, a pole). */
    private Numeric evaluate(Expr e, Map<String, Numeric> point) {
        try {
            Numeric v = new ExprEvaluator(point, budget).eval(e);
            return v.isFinite() ? v : null;
        } catch (ArithmeticException ex) {
            return null;
        }
    }

    /**
     * Exact values must be equal. Otherwise, with a decimal literal on either side written with {@code w}
     * significant digits, they may differ by one unit in the {@code max(6, w)}-th significant digit (so rounding
     * and truncating both pass: {@code 0.333333} is 1/3, {@code 0.333} is not); without one, by a relative
     * {@link #RELATIVE_TOLERANCE}.
     */
    static boolean close(Numeric r, Numeric p, int floatDigits) {
        if (r.isExact() && p.isExact() && (r.exact().equals(p.exact()) || floatDigits == 0)) {
            return r.exact().equals(p.exact());
        }
        double difference = Math.hypot(r.re() - p.re(), r.im() - p.im());
        double magnitude = Math.max(r.abs(), p.abs());
        if (magnitude == 0) {
            return true;
        }
        if (floatDigits > 0) {
            int digits = Math.max(FLOAT_DIGITS, floatDigits);
            double unit = Math.pow(10, Math.floor(Math.log10(magnitude)) - digits + 1);
            return difference <= unit * (1 + 1e-9);
        }
        return difference <= RELATIVE_TOLERANCE * Math.max(1, magnitude);
    }

    // ------------------------------------------------------------------------------------------ tree helpers

    private static int floatDigits(Expr e) {
        int[] max = {0};
        walk(e, x -> {
            if (x instanceof Num n) {
                max[0] = Math.max(max[0], n.floatDigits());
            }
        });
        return max[0];
    }

    private static void collectVariables(Expr e, Set<String> into) {
        walk(e, x -> {
            if (x instanceof Var v) {
                into.add(v.name());
            }
        });
    }

    private static boolean contains(Expr e, Class<? extends Expr> kind) {
        boolean[] found = {false};
        walk(e, x -> found[0] |= kind.isInstance(x));
        return found[0];
    }

    private static void walk(Expr e, Consumer<Expr> visit) {
        visit.accept(e);
        for (Expr child : children(e)) {
            walk(child, visit);
        }
    }

    private static List<Expr> children(Expr e) {
        if (e instanceof Add a) {
            return a.terms();
        }
        if (e instanceof Mul m) {
            return m.factors();
        }
        if (e instanceof Neg n) {
            return List.of(n.operand());
        }
        if (e instanceof Div d) {
            return List.of(d.numerator(), d.denominator());
        }
        if (e instanceof Pow p) {
            return List.of(p.base(), p.exponent());
        }
        if (e instanceof Call c) {
            return c.args();
        }
        if (e instanceof Percent p) {
            return List.of(p.operand());
        }
        if (e instanceof PlusMinus pm) {
            return List.of(pm.left(), pm.right());
        }
        if (e instanceof Relation r) {
            return r.operands();
        }
        if (e instanceof Group g) {
            return g.items();
        }
        if (e instanceof SetOf s) {
            return s.items();
        }
        if (e instanceof ListOf l) {
            return l.items();
        }
        if (e instanceof SetOp s) {
            return s.parts();
        }
        if (e instanceof Matrix m) {
            return m.rows().stream().flatMap(List::stream).toList();
        }
        return List.of();
    }

    /** The tree with every {@code x\%} read as {@code x}. */
    private static Expr withoutPercent(Expr e) {
        return map(e, x -> x instanceof Percent p ? p.operand() : x);
    }

    /** {@code a \pm b} as the list {@code a + b, a - b} (a single value stays itself). */
    private static Expr expandPlusMinus(Expr e) {
        List<Expr> variants = variants(e);
        return variants.size() == 1 ? variants.get(0) : new ListOf(variants);
    }

    private static List<Expr> variants(Expr e) {
        if (e instanceof ListOf l) {
            List<Expr> all = new ArrayList<>();
            for (Expr item : l.items()) {
                all.addAll(variants(item));
            }
            return all;
        }
        PlusMinus first = firstPlusMinus(e);
        if (first == null) {
            return List.of(e);
        }
        List<Expr> out = new ArrayList<>();
        for (Expr choice : List.of(
                new Add(List.of(first.left(), first.right())),
                new Add(List.of(first.left(), new Neg(first.right()))))) {
            Expr replaced = replaceOnce(e, first, choice);
            out.addAll(variants(replaced));
            if (out.size() > MAX_VARIANTS) {
                throw new ExprEvaluator.NotNumeric("too many \\pm variants");
            }
        }
        return out;
    }

    private static PlusMinus firstPlusMinus(Expr e) {
        if (e instanceof PlusMinus pm) {
            return pm;
        }
        for (Expr child : children(e)) {
            PlusMinus found = firstPlusMinus(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Expr replaceOnce(Expr e, PlusMinus target, Expr replacement) {
        boolean[] done = {false};
        return map(e, x -> {
            if (!done[0] && x == target) {
                done[0] = true;
                return replacement;
            }
            return x;
        });
    }

    /** Rebuilds the tree, applying {@code f} to each node before its children. */
    private static Expr map(Expr e, UnaryOperator<Expr> f) {
        Expr x = f.apply(e);
        if (x instanceof Add a) {
            return new Add(mapAll(a.terms(), f));
        }
        if (x instanceof Mul m) {
            return new Mul(mapAll(m.factors(), f));
        }
        if (x instanceof Neg n) {
            return new Neg(map(n.operand(), f));
        }
        if (x instanceof Div d) {
            return new Div(map(d.numerator(), f), map(d.denominator(), f));
        }
        if (x instanceof Pow p) {
            return new Pow(map(p.base(), f), map(p.exponent(), f));
        }
        if (x instanceof Call c) {
            return new Call(c.function(), mapAll(c.args(), f));
        }
        if (x instanceof Percent p) {
            return new Percent(map(p.operand(), f));
        }
        if (x instanceof PlusMinus pm) {
            return new PlusMinus(map(pm.left(), f), map(pm.right(), f));
        }
        if (x instanceof Relation r) {
            return new Relation(mapAll(r.operands(), f), r.ops());
        }
        if (x instanceof Group g) {
            return new Group(g.open(), g.close(), mapAll(g.items(), f));
        }
        if (x instanceof SetOf s) {
            return new SetOf(mapAll(s.items(), f));
        }
        if (x instanceof ListOf l) {
            return new ListOf(mapAll(l.items(), f));
        }
        if (x instanceof SetOp s) {
            return new SetOp(s.op(), mapAll(s.parts(), f));
        }
        if (x instanceof Matrix m) {
            return new Matrix(m.rows().stream().map(row -> mapAll(row, f)).toList());
        }
        return x;
    }

    private static List<Expr> mapAll(List<Expr> items, UnaryOperator<Expr> f) {
        return items.stream().map(i -> map(i, f)).toList();
    }

    private static String compact(String s) {
        return BRACES_AND_SPACES.matcher(s).replaceAll("");
    }
}
