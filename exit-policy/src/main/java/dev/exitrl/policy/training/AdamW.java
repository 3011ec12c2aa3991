package dev.exitrl.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019) with global gradient-norm clipping, written out with in-place NDArray ops.
 *
 * <p>Decoupled weight decay {@code p -= lr * wd * p} applies to matrices only: norm weights and biases are not
 * decayed (the usual practice for transformers; the GRPO paper does not say). The first and second moments live
 * in the optimizer's own manager on the model's device and are saved with checkpoints.
 *
 * <p>Gradients are the parameters' own autograd gradients, or, for FP16 mixed precision, FP32 arrays the caller
 * owns (the unscaled gradients of the FP16 compute copy, see {@link MixedPrecision}).
 *
 * <p>Memory: each update holds at most two temporaries of one parameter's size at a time (each is closed as soon
 * as it is used), so the transient cost is 2 x the largest parameter (the embedding), not one array per op.
 */
public final class AdamW implements AutoCloseable {

    private final Map<String, Parameter> parameters;
    private final Map<String, NDArray> gradients; // FP32 gradients by name, or null: the parameters' own
    private final NDManager manager;
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private long step;

    public AdamW(Map<String, Parameter> parameters, NDManager parent, double beta1, double beta2, double eps) {
        this(parameters, null, parent, beta1, beta2, eps);
    }

    /**
     * An optimizer that reads the gradient of parameter {@code name} from {@code gradients.get(name)} (same shape,
     * FP32) instead of the parameter's autograd gradient; null means the autograd gradients.
     */
    public AdamW(
            Map<String, Parameter> parameters,
            Map<String, NDArray> gradients,
            NDManager parent,
            double beta1,
            double beta2,
            double eps) {
        this.parameters = parameters;
        this.gradients = gradients;
        this.manager = parent.newSubManager();
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            NDArray p = e.getValue().getArray();
            firstMoment.put(e.getKey(), manager.zeros(p.getShape(), DataType.FLOAT32));
            secondMoment.put(e.getKey(), manager.zeros(p.getShape(), DataType.FLOAT32));
        }
    }

    /** Optimizer steps taken so far. */
    public long step() {
        return step;
    }

    /**
     * Clips the accumulated gradients to {@code maxGradNorm} (global L2 norm; 0 disables), applies one AdamW update
     * and zeroes the gradients. Returns the norm before clipping.
     */
    public double update(double learningRate, double weightDecay, double maxGradNorm) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray squares = tmp.zeros(new Shape(), DataType.FLOAT32); // () sum of squared gradients
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                // One sub-manager per parameter: temporaries of a large model must not pile up until the end of the
                // step. Results of ops land in their input's manager, so each temporary is attached here explicitly.
                try (NDManager each = tmp.newSubManager()) {
                    NDArray g = gradient(e.getKey(), e.getValue(), each);
                    NDArray square = g.square(); // shape of p
                    square.attach(each);
                    squares.addi(square.sum());
                }
            }
            double norm = Math.sqrt(squares.getFloat());
            double scale = maxGradNorm > 0 && norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1.0;
            step++;
            double bias1 = 1 - Math.pow(beta1, step);
            double bias2 = 1 - Math.pow(beta2, step);
            // p -= lr / bias1 * m / (sqrt(v / bias2) + eps), the textbook form with bias corrections folded in.
            float stepSize = (float) (learningRate / bias1);
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                try (NDManager each = tmp.newSubManager()) {
                    String name = e.getKey();
                    NDArray p = e.getValue().getArray();
                    NDArray g = gradient(name, e.getValue(), each); // shape of p
                    if (scale != 1.0) {
                        g.muli((float) scale); // in place: the gradient is zeroed below anyway
                    }
                    NDArray m = firstMoment.get(name);
                    NDArray v = secondMoment.get(name);
                    try (NDArray part = g.mul((float) (1 - beta1))) {
                        m.muli((float) beta1).addi(part);
                    }
                    try (NDArray part = g.square().muli((float) (1 - beta2))) {
                        v.muli((float) beta2).addi(part);
                    }
                    if (weightDecay > 0 && decays(name)) {
                        p.muli((float) (1 - learningRate * weightDecay));
                    }
                    // Ops on the moments put their results in the optimizer's manager: attach each to this scope and
                    // close it once used, so at most two parameter-sized temporaries exist at a time.
                    NDArray secondHat = v.div((float) bias2); // shape of p
                    secondHat.attach(each);
                    NDArray denom = secondHat.sqrt(); // shape of p
                    denom.attach(each);
                    secondHat.close();
                    denom.addi((float) eps);
                    NDArray update = m.div(denom); // shape of p
                    update.attach(each);
                    denom.close();
                    p.subi(update.muli(stepSize));
                    update.close();
                    g.subi(g); // zero the accumulated gradient in place
                }
            }
            return norm;
        }
    }

    /** Zeroes gradients without updating (e.g. after a skipped step). */
    public void zeroGradients() {
        try (NDManager tmp = manager.newSubManager()) {
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                if (gradients != null || e.getValue().getArray().hasGradient()) {
                    NDArray g = gradient(e.getKey(), e.getValue(), tmp);
                    g.subi(g);
                }
            }
        }
    }

    /**
     * The gradient of one parameter. An autograd gradient handle is attached to {@code scope} (each call makes a new
     * handle, which must not outlive the scope); a caller-owned gradient stays where it is.
     */
    private NDArray gradient(String name, Parameter parameter, NDManager scope) {
        if (gradients != null) {
            return gradients.get(name);
        }
        NDArray g = parameter.getArray().getGradient();
        g.attach(scope);
        return g;
    }

    static boolean decays(String name) {
        return !name.endsWith("norm.weight") && !name.endsWith(".bias");
    }

    /** Moments by name ({@code exp_avg.<param>}, {@code exp_avg_sq.<param>}) for checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        firstMoment.forEach((k, v) -> out.put("exp_avg." + k, v));
        secondMoment.forEach((k, v) -> out.put("exp_avg_sq." + k, v));
        return out;
    }

    /** Restores moments and the step counter saved by {@link #state()}. */
    public void restore(Map<String, NDArray> state, long steps) {
        List<String> missing = new ArrayList<>();
        for (String name : parameters.keySet()) {
            for (String prefix : List.of("exp_avg.", "exp_avg_sq.")) {
                NDArray saved = state.get(prefix + name);
                if (saved == null) {
                    missing.add(prefix + name);
                    continue;
                }
                NDArray target = (prefix.equals("exp_avg.") ? firstMoment : secondMoment).get(name);
                target.set(saved.toType(DataType.FLOAT32, false).toByteBuffer());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("optimizer state lacks " + missing);
        }
        this.step = steps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
