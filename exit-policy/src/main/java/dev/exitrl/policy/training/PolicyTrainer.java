package dev.exitrl.policy.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.exitrl.policy.checkpoint.HfCheckpoint;
import dev.exitrl.policy.checkpoint.Safetensors;
import dev.exitrl.policy.model.CausalLm;
import dev.exitrl.policy.tokenizer.PolicyTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains the policy in place: GRPO updates on groups of rollouts, supervised warm-start steps, the reference
 * policy and its Polyak update, and resumable checkpoints.
 *
 * <p>GRPO objective per policy token t of rollout i in group g (Shao et al. 2024, as in exit-algorithm.md):
 * {@code min(rho A_i, clip(rho, 1-eps, 1+eps) A_i) - beta * k3}, {@code rho = exp(logp - logp_behaviour)},
 * {@code k3 = exp(ref - logp) - (ref - logp) - 1}; averaged over the rollout's policy tokens, then over the group,
 * then over the groups of the step; the loss is its negative.
 *
 * <p>Deviations from the paper and choices it leaves open:
 * <ul>
 *   <li>One optimizer step per call; several epochs over a batch are the caller's loop (the paper uses 1 or 2).
 *   <li>The behaviour log-probs are those the sampler recorded, not recomputed by the trainer, so rollouts from
 *       an older policy version (bounded staleness) are corrected by the ratio. With temperature != 1 or top-k /
 *       top-p filtering they belong to the filtered distribution, which the trainer does not reproduce.
 *   <li>Groups with zero reward variance are kept (their advantages are 0; they still add the KL term and count
 *       in the group average), as in the paper; dropping them is the caller's choice.
 *   <li>Dr. GRPO (Liu et al. 2025) is {@link #grpoStep(List, int)} with a constant: each rollout's token terms are
 *       summed and divided by that constant (the generation budget) instead of the rollout's own policy-token count,
 *       so a long rollout's tokens weigh as much as a short one's.
 *   <li>AdamW does not decay norm weights and biases; gradients are clipped to a global norm (not in the paper).
 *   <li>The reference policy starts as a copy of the initial weights; {@link #updateReference} applies
 *       {@code ref = alpha * theta + (1 - alpha) * ref} when the caller's schedule (every M steps) says so.
 *   <li>Fixed micro-batch shapes (not in the paper; for the device allocator): every micro-batch of a step has
 *       {@code min(microBatchSize, rollouts)} rows (padding rows weigh 0) and its length is rounded up by
 *       {@link TokenLogProbs#bucketLength} ({@link GrpoConfig#sequenceBucket}); padded positions are masked out.
 *   <li>{@link GrpoConfig.Precision#FP16}: mixed precision with dynamic loss scaling ({@link MixedPrecision}); a step
 *       whose gradients overflow is skipped ({@link StepStats#skipped}). The reference policy's weights stay FP32
 *       (Polyak updates, checkpoints); its forward pass runs on an FP16 copy refreshed whenever they change.
 * </ul>
 *
 * <p>Uses the global {@code GradientCollector}: one trainer per JVM, on one thread.
 */
public final class PolicyTrainer implements AutoCloseable {

    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String REFERENCE_FILE = "reference.safetensors";
    static final String STATE_FILE = "trainer_state.json";

    private final CausalLm model;
    private final Map<String, Parameter> parameters;
    private final AdamW optimizer;
    private final MixedPrecision mixed; // null in FP32
    private CausalLm reference;
    private final CausalLm referenceHalf; // FP16 copy of the reference for its forward pass, or null in FP32
    private GrpoConfig config;

    public PolicyTrainer(CausalLm model, GrpoConfig config) {
        if (model.dtype() != DataType.FLOAT32) {
            throw new IllegalArgumentException("training needs a float32 model, got " + model.dtype());
        }
        this.model = model;
        this.config = config;
        this.parameters = model.namedParameters();
        if (config.precision() == GrpoConfig.Precision.FP16) {
            // The master weights get no autograd gradients: backward runs on the FP16 copy.
            this.mixed = new MixedPrecision(model, config.initialLossScale(), config.lossScaleGrowthInterval());
        } else {
            this.mixed = null;
            for (Parameter p : parameters.values()) {
                p.getArray().setRequiresGradient(true);
            }
        }
        this.optimizer = new AdamW(
                parameters,
                mixed == null ? null : mixed.gradients(),
                model.manager(),
                config.adamBeta1(),
                config.adamBeta2(),
                config.adamEps());
        this.reference = copyOf(model);
        this.referenceHalf = mixed == null ? null : MixedPrecision.halfCopy(reference);
    }

    /** The model forward and backward passes run on: the FP32 model, or its FP16 compute copy. */
    private CausalLm computeModel() {
        return mixed == null ? model : mixed.compute();
    }

    /** The loss-scaling state in FP16 mode, else null. */
    public MixedPrecision mixedPrecision() {
        return mixed;
    }

    private static CausalLm copyOf(CausalLm source) {
        try (NDManager tmp = source.manager().newSubManager()) {
            return CausalLm.fromHf(source.config(), source.hfTensors(tmp), source.device(), DataType.FLOAT32);
        }
    }

    public CausalLm model() {
        return model;
    }

    public CausalLm reference() {
        return reference;
    }

    public GrpoConfig config() {
        return config;
    }

    /** Changes the settings of later steps (optimizer moments are kept; the precision is fixed at construction). */
    public void setConfig(GrpoConfig newConfig) {
        if (newConfig.precision() != config.precision()) {
            throw new IllegalArgumentException("precision is fixed when the trainer is made: " + config.precision()
                    + " -> " + newConfig.precision());
        }
        this.config = newConfig;
    }

    public long step() {
        return optimizer.step();
    }

    /** One GRPO update over the given groups (each a list of rollouts of one task instance). */
    public StepStats grpoStep(List<List<TrainingSample>> groups) {
        return grpoStep(groups, 0);
    }

    /**
     * One GRPO update; {@code constantTokens > 0} normalises every rollout's token sum by that constant (Dr. GRPO)
     * instead of by the rollout's own policy-token count ({@code 0}: GRPO).
     */
    public StepStats grpoStep(List<List<TrainingSample>> groups, int constantTokens) {
        if (constantTokens < 0) {
            throw new IllegalArgumentException("constantTokens must be >= 0 (0 = per rollout), got " + constantTokens);
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("groups must not be empty");
        }
        List<TrainingSample> flat = new ArrayList<>();
        // per-token weight of each rollout: 1 / (groups * |group| * |o_i|), or the constant for |o_i| (Dr. GRPO)
        List<Double> weights = new ArrayList<>();
        for (List<TrainingSample> group : groups) {
            if (group.isEmpty()) {
                throw new IllegalArgumentException("every group must hold at least one rollout");
            }
            for (TrainingSample r : group) {
                double tokens = constantTokens > 0 ? constantTokens : r.policyTokens();
                flat.add(r);
                weights.add(r.policyTokens() > 0 ? 1.0 / (groups.size() * group.size() * tokens) : 0.0);
            }
        }
        double loss = 0;
        double klSum = 0;
        double clipped = 0;
        long tokens = 0;
        int rows = Math.min(config.microBatchSize(), flat.size());
        for (int start = 0; start < flat.size(); start += config.microBatchSize()) {
            int end = Math.min(flat.size(), start + config.microBatchSize());
            double[] out = grpoMicroBatch(flat.subList(start, end), weights.subList(start, end), rows);
            loss += out[0];
            klSum += out[1];
            clipped += out[2];
            tokens += (long) out[3];
        }
        double scaleUsed = mixed == null ? 1 : mixed.scale();
        double norm = update();
        return new StepStats(
                loss,
                tokens == 0 ? 0 : klSum / tokens,
                tokens == 0 ? 0 : clipped / tokens,
                norm,
                tokens,
                optimizer.step(),
                Double.isNaN(norm),
                scaleUsed);
    }

    /**
     * The optimizer step after all micro-batches: returns the gradient norm, or NaN when FP16 gradients overflowed
     * and the step was skipped (weights, moments and step count unchanged; the loss scale halves).
     */
    private double update() {
        if (mixed != null && !mixed.finishStep()) {
            return Double.NaN;
        }
        double norm = optimizer.update(config.learningRate(), config.weightDecay(), config.maxGradNorm());
        if (mixed != null) {
            mixed.refresh();
        }
        return norm;
    }

    /** Backward of {@code loss}, multiplied by the loss scale in FP16 mode; gradients then go to the FP32 buffers. */
    private void backward(GradientCollector collector, NDArray loss) {
        if (mixed == null) {
            collector.backward(loss);
            return;
        }
        collector.backward(loss.mul((float) mixed.scale()));
        mixed.accumulate();
    }

    /** Forward + backward of one micro-batch; returns {loss part, KL sum, clipped count, policy tokens}. */
    private double[] grpoMicroBatch(List<TrainingSample> rollouts, List<Double> tokenWeights, int rows) {
        int b = rollouts.size();
        List<long[]> prompts = new ArrayList<>(b);
        List<long[]> responses = new ArrayList<>(b);
        List<float[]> masks = new ArrayList<>(b);
        for (TrainingSample r : rollouts) {
            prompts.add(r.promptIds());
            responses.add(r.responseIds());
            masks.add(r.policyMask());
        }
        boolean anyMask = masks.stream().anyMatch(m -> m != null);
        int bucket = config.sequenceBucket();
        try (NDManager m = model.manager().newSubManager()) {
            NDArray refLogProbs = null; // (B', S - 1), B' = padded rows
            if (config.beta() > 0) {
                refLogProbs = TokenLogProbs.compute(
                                referenceHalf == null ? reference : referenceHalf,
                                m,
                                prompts,
                                responses,
                                null,
                                rows,
                                bucket)
                        .logProbs();
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                TokenLogProbs current = TokenLogProbs.compute(
                        computeModel(), m, prompts, responses, anyMask ? fill(masks, responses) : null, rows, bucket);
                NDArray logProbs = current.logProbs(); // (B', S - 1)
                int padded = (int) logProbs.getShape().get(0);
                long width = logProbs.getShape().get(1);
                float[] behaviour = new float[(int) (padded * width)];
                float[] weight = new float[(int) (padded * width)];
                float[] advantage = new float[padded];
                float[] maskHost = current.hostMask();
                double tokenCount = 0;
                for (float v : maskHost) {
                    tokenCount += v;
                }
                for (int r = 0; r < b; r++) {
                    TrainingSample ro = rollouts.get(r);
                    advantage[r] = (float) ro.advantage();
                    int s0 = current.starts()[r];
                    for (int i = 0; i < ro.responseIds().length; i++) {
                        int at = (int) (r * width + s0 + i);
                        behaviour[at] = ro.behaviourLogProbs()[i];
                        weight[at] = (float) (maskHost[at] * tokenWeights.get(r));
                    }
                }
                NDArray old = m.create(behaviour, new Shape(padded, width)); // (B', S - 1)
                NDArray w = m.create(weight, new Shape(padded, width)); // (B', S - 1)
                NDArray adv = m.create(advantage, new Shape(padded, 1)); // (B', 1)
                NDArray ratio = logProbs.sub(old).exp(); // (B, S - 1)
                float lo = (float) (1 - config.clipEpsilon());
                float hi = (float) (1 + config.clipEpsilon());
                NDArray objective = ratio.mul(adv).minimum(ratio.clip(lo, hi).mul(adv)); // (B, S - 1)
                NDArray kl = null; // (B, S - 1)
                if (refLogProbs != null) {
                    NDArray diff = refLogProbs.sub(logProbs); // (B, S - 1)
                    kl = diff.exp().sub(diff).sub(1f);
                    objective = objective.sub(kl.mul((float) config.beta()));
                }
                NDArray loss = objective.mul(w).sum().neg(); // ()
                backward(collector, loss);
                NDArray policyMask = current.mask(); // (B', S - 1)
                NDArray clippedCount = ratio.lt(lo)
                        .logicalOr(ratio.gt(hi))
                        .toType(DataType.FLOAT32, false)
                        .mul(policyMask)
                        .sum(); // ()
                NDArray klSum =
                        kl == null ? loss.zerosLike() : kl.mul(policyMask).sum(); // ()
                // One host copy for the three statistics.
                float[] host =
                        NDArrays.stack(new NDList(loss, klSum, clippedCount)).toFloatArray();
                return new double[] {host[0], host[1], host[2], tokenCount};
            }
        }
    }

    private static List<float[]> fill(List<float[]> masks, List<long[]> responses) {
        List<float[]> out = new ArrayList<>(masks.size());
        for (int i = 0; i < masks.size(); i++) {
            float[] m = masks.get(i);
            if (m == null) {
                m = new float[responses.get(i).length];
                Arrays.fill(m, 1f);
            }
            out.add(m);
        }
        return out;
    }

    /**
     * One supervised warm-start step: cross-entropy of {@code targets} given {@code prompts}, averaged over all
     * target tokens of the batch, with the trainer's optimizer and learning rate.
     */
    public StepStats supervisedStep(List<long[]> prompts, List<long[]> targets) {
        if (prompts.size() != targets.size() || prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts and targets must be non-empty and of the same size");
        }
        long total = 0;
        for (long[] t : targets) {
            if (t.length == 0) {
                throw new IllegalArgumentException("every target must hold at least one token");
            }
            total += t.length;
        }
        double loss = 0;
        int rows = Math.min(config.microBatchSize(), prompts.size());
        for (int start = 0; start < prompts.size(); start += config.microBatchSize()) {
            int end = Math.min(prompts.size(), start + config.microBatchSize());
            try (NDManager m = model.manager().newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                TokenLogProbs lp = TokenLogProbs.compute(
                        computeModel(),
                        m,
                        prompts.subList(start, end),
                        targets.subList(start, end),
                        null,
                        rows,
                        config.sequenceBucket());
                NDArray part =
                        lp.logProbs().mul(lp.mask()).sum().div((float) total).neg(); // ()
                backward(collector, part);
                loss += part.getFloat();
            }
        }
        double scaleUsed = mixed == null ? 1 : mixed.scale();
        double norm = update();
        return new StepStats(loss, 0, 0, norm, total, optimizer.step(), Double.isNaN(norm), scaleUsed);
    }

    /** {@code ref = alpha * theta + (1 - alpha) * ref} for every weight; alpha = 1 copies the policy. */
    public void updateReference(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        Map<String, Parameter> ref = reference.namedParameters();
        try (NDManager tmp = model.manager().newSubManager()) {
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                NDArray theta = e.getValue().getArray().mul((float) alpha); // shape of the weight
                theta.attach(tmp);
                NDArray target = ref.get(e.getKey()).getArray();
                target.muli((float) (1 - alpha)).addi(theta);
            }
        }
        if (referenceHalf != null) {
            MixedPrecision.copyWeights(reference, referenceHalf);
        }
    }

    /**
     * Writes a resumable checkpoint: the Hugging Face files ({@code config.json}, {@code model.safetensors},
     * {@code tokenizer.json}) plus {@code reference.safetensors}, {@code optimizer.safetensors} and
     * {@code trainer_state.json} (step).
     */
    public void save(Path dir, PolicyTokenizer tokenizer) throws IOException {
        HfCheckpoint.save(model, dir);
        if (tokenizer != null) {
            tokenizer.save(dir);
        }
        try (NDManager tmp = model.manager().newSubManager()) {
            Safetensors.write(dir.resolve(REFERENCE_FILE), reference.hfTensors(tmp), Map.of());
        }
        Safetensors.write(
                dir.resolve(OPTIMIZER_FILE), optimizer.state(), Map.of("step", Long.toString(optimizer.step())));
        String scaler = mixed == null
                ? ""
                : ", \"loss_scale\": " + mixed.scale() + ", \"loss_scale_good_steps\": " + mixed.goodSteps();
        Files.writeString(dir.resolve(STATE_FILE), "{\"step\": " + optimizer.step() + scaler + "}\n");
    }

    /** Restores weights, reference, optimizer moments and step from a checkpoint written by {@link #save}. */
    public void resume(Path dir) throws IOException {
        for (String f : List.of(HfCheckpoint.WEIGHTS, REFERENCE_FILE, OPTIMIZER_FILE, STATE_FILE)) {
            if (!Files.exists(dir.resolve(f))) {
                throw new IOException("checkpoint " + dir + " lacks " + f);
            }
        }
        HfCheckpoint.loadWeightsInto(model, dir);
        try (NDManager tmp = NDManager.newBaseManager(Device.cpu())) {
            reference.loadHf(Safetensors.read(dir.resolve(REFERENCE_FILE), tmp));
            if (referenceHalf != null) {
                MixedPrecision.copyWeights(reference, referenceHalf);
            }
            JsonNode state = JsonMapper.builder().build().readTree(Files.readString(dir.resolve(STATE_FILE)));
            optimizer.restore(
                    Safetensors.read(dir.resolve(OPTIMIZER_FILE), tmp),
                    state.path("step").asLong());
            if (mixed != null) {
                // A checkpoint written in FP32 has no scaler state: start from the configured scale.
                if (state.has("loss_scale")) {
                    mixed.restore(
                            state.path("loss_scale").asDouble(),
                            state.path("loss_scale_good_steps").asInt(0));
                }
                mixed.refresh();
            }
        }
    }

    @Override
    public void close() {
        if (mixed != null) {
            mixed.close();
        }
        optimizer.close();
        reference.close();
        if (referenceHalf != null) {
            referenceHalf.close();
        }
    }
}
