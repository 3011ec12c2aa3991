package dev.exitrl.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.exitrl.policy.model.CausalLm;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FP16 mixed-precision training (Micikevicius et al. 2018): forward and backward run on an FP16 compute copy of the
 * policy, while the FP32 master weights (the trainer's model) and the AdamW state stay FP32. The loss is multiplied
 * by a dynamic loss scale before backward, so that small gradients do not flush to zero in FP16; after each
 * micro-batch the FP16 gradients are converted to FP32, divided by the scale and added to FP32 gradient buffers,
 * which the optimizer reads. A step whose gradients hold an inf or NaN is skipped (no update, buffers cleared) and
 * the scale halves; after {@code growthInterval} good steps in a row it doubles. Defaults (initial scale 65536,
 * interval 2000, factors 2 and 0.5) are PyTorch's {@code GradScaler}'s.
 *
 * <p>Choices the paper leaves open: the logits are cast to FP32 before the log-softmax (by {@link CausalLm}), so the
 * loss is computed in FP32; gradients are unscaled per micro-batch, not accumulated in FP16 across micro-batches;
 * the overflow check is one sum per parameter (finite iff every element is), read on the host once per step.
 *
 * <p>Memory on top of FP32 training: the FP16 copy (2 bytes per parameter), its FP16 gradients (2) and the FP32
 * gradient buffers replace the master's autograd gradients (same 4); the trainer adds an FP16 copy of the reference
 * (2) when the KL term is on.
 */
public final class MixedPrecision implements AutoCloseable {

    private final CausalLm master;
    private final CausalLm compute;
    private final Map<String, Parameter> computeParameters;
    private final NDManager manager;
    private final Map<String, NDArray> gradients = new LinkedHashMap<>();
    private final NDArray gradientSum; // (1) FP32 sum of every unscaled gradient of the step: finite iff all are
    private final int growthInterval;
    private double scale;
    private int goodSteps;
    private long skippedSteps;

    MixedPrecision(CausalLm master, double initialScale, int growthInterval) {
        this.master = master;
        this.growthInterval = growthInterval;
        this.scale = initialScale;
        this.manager = master.manager().newSubManager();
        this.compute = halfCopy(master);
        this.computeParameters = compute.namedParameters();
        for (Map.Entry<String, Parameter> e : computeParameters.entrySet()) {
            e.getValue().getArray().setRequiresGradient(true);
            gradients.put(e.getKey(), manager.zeros(e.getValue().getArray().getShape(), DataType.FLOAT32));
        }
        this.gradientSum = manager.zeros(new Shape(1), DataType.FLOAT32);
    }

    /** The FP16 model that forward and backward passes run on. */
    public CausalLm compute() {
        return compute;
    }

    /** FP32 gradient buffers by parameter name, for the optimizer. */
    Map<String, NDArray> gradients() {
        return gradients;
    }

    /** The factor the loss is multiplied by before backward. */
    public double scale() {
        return scale;
    }

    /** Good steps since the last overflow or growth. */
    int goodSteps() {
        return goodSteps;
    }

    /** Steps skipped for overflow since this object was made. */
    public long skippedSteps() {
        return skippedSteps;
    }

    /** Restores the scaler state saved with a checkpoint. */
    void restore(double savedScale, int savedGoodSteps) {
        if (!(savedScale > 0) || !Double.isFinite(savedScale) || savedGoodSteps < 0) {
            throw new IllegalArgumentException(
                    "bad loss-scaler state: scale " + savedScale + ", good steps " + savedGoodSteps);
        }
        this.scale = savedScale;
        this.goodSteps = savedGoodSteps;
    }

    /**
     * After a micro-batch's backward: adds the FP16 gradients, converted to FP32 and divided by the scale, to the FP32
     * buffers, adds their sums to the step's overflow check and clears the FP16 gradients.
     */
    void accumulate() {
        float inverse = (float) (1.0 / scale);
        for (Map.Entry<String, Parameter> e : computeParameters.entrySet()) {
            try (NDManager each = manager.newSubManager()) {
                NDArray half = e.getValue().getArray().getGradient(); // FP16, shape of the weight
                half.attach(each);
                NDArray full = half.toType(DataType.FLOAT32, false); // shape of the weight
                full.attach(each);
                full.muli(inverse);
                NDArray sum = full.sum(); // ()
                sum.attach(each);
                gradientSum.addi(sum);
                gradients.get(e.getKey()).addi(full);
                clear(half); // an overflowed gradient holds inf: subtracting it from itself would leave NaN
            }
        }
    }

    /**
     * Ends a step's backward passes: true when every gradient was finite (the caller then updates the master
     * weights and calls {@link #refresh}); false on overflow, when the buffers are cleared and the scale halved.
     * Doubles the scale after {@code growthInterval} good steps in a row.
     */
    boolean finishStep() {
        boolean finite = Float.isFinite(gradientSum.getFloat());
        clear(gradientSum);
        if (!finite) {
            for (NDArray g : gradients.values()) {
                clear(g);
            }
            scale /= 2;
            goodSteps = 0;
            skippedSteps++;
            return false;
        }
        if (++goodSteps >= growthInterval) {
            scale *= 2;
            goodSteps = 0;
        }
        return true;
    }

    /** Copies the FP32 master weights into the FP16 compute copy. */
    void refresh() {
        copyWeights(master, compute);
    }

    /** An FP16 model with the weights of {@code source}. */
    static CausalLm halfCopy(CausalLm source) {
        try (NDManager tmp = source.manager().newSubManager()) {
            return CausalLm.fromHf(source.config(), source.hfTensors(tmp), source.device(), DataType.FLOAT16);
        }
    }

    /** Copies every weight of {@code from} into {@code to} on the device, converting the type in the copy. */
    static void copyWeights(CausalLm from, CausalLm to) {
        Map<String, Parameter> target = to.namedParameters();
        for (Map.Entry<String, Parameter> e : from.namedParameters().entrySet()) {
            target.get(e.getKey()).getArray().set(new NDIndex(":"), e.getValue().getArray());
        }
    }

    /**
     * Zero-fills in place (an array holding inf cannot be zeroed arithmetically). Filling with a number makes a scalar
     * array in the target's manager: the target is lent to a scope for the call, so that scalar dies with it.
     */
    private void clear(NDArray array) {
        try (NDManager scope = manager.newSubManager()) {
            array.tempAttach(scope);
            array.set(new NDIndex(":"), 0f);
        }
    }

    @Override
    public void close() {
        manager.close();
        compute.close();
    }
}
