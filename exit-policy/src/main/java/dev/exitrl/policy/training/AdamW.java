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
 */
public final class AdamW implements AutoCloseable {

    private final Map<String, Parameter> parameters;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private long step;

    public AdamW(Map<String, Parameter> parameters, NDManager parent, double beta1, double beta2, double eps) {
        this.parameters = parameters;
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
            for (Parameter parameter : parameters.values()) {
                // One sub-manager per parameter: temporaries of a large model must not pile up until the end of the
                // step.
                try (NDManager each = tmp.newSubManager()) {
                    NDArray g = parameter.getArray().getGradient();
                    g.attach(each);
                    squares.addi(g.square().sum());
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
                    NDArray g = p.getGradient(); // shape of p
                    g.attach(each);
                    NDArray gs = scale == 1.0 ? g : g.mul((float) scale);
                    firstMoment.get(name).muli((float) beta1).addi(gs.mul((float) (1 - beta1)));
                    secondMoment.get(name).muli((float) beta2).addi(gs.square().muli((float) (1 - beta2)));
                    if (weightDecay > 0 && decays(name)) {
                        p.muli((float) (1 - learningRate * weightDecay));
                    }
                    // Results of ops on the moments would land in the optimizer's manager: hand them to this one.
                    NDArray secondHat = secondMoment.get(name).div((float) bias2); // shape of p
                    secondHat.attach(each);
                    NDArray denom = secondHat.sqrt().addi((float) eps); // shape of p
                    NDArray update = firstMoment.get(name).div(denom); // shape of p
                    update.attach(each);
                    p.subi(update.muli(stepSize));
                    g.subi(g); // zero the accumulated gradient in place
                }
            }
            return norm;
        }
    }

    /** Zeroes gradients without updating (e.g. after a skipped step). */
    public void zeroGradients() {
        try (NDManager tmp = manager.newSubManager()) {
            for (Parameter parameter : parameters.values()) {
                NDArray p = parameter.getArray();
                if (p.hasGradient()) {
                    NDArray g = p.getGradient();
                    g.attach(tmp);
                    g.subi(g);
                }
            }
        }
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
