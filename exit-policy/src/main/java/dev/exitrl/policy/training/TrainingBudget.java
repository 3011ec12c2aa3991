package dev.exitrl.policy.training;

import dev.exitrl.policy.model.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory one {@link PolicyTrainer} step should need, written down from the tensors the code creates, so that a
 * benchmark can print it next to what was used; a ratio far above 1 points at something holding extra memory.
 *
 * <p>Dimensions: P parameters, B rows of one micro-batch (padded), S its padded length, L layers, D hidden, F
 * intermediate, H query heads, Hkv key/value heads, Dh head width, V vocabulary, e bytes per activation element (4 in
 * FP32, 2 in FP16), R rotary table positions.
 * <ul>
 *   <li>weights: FP32 master weights 4 P, plus the rotary cos/sin tables 2 x R x Dh x 4;
 *   <li>gradients: 4 P (the autograd gradients, or in FP16 the FP32 buffers the unscaled gradients go to);
 *   <li>optimizer: AdamW's two FP32 moments 8 P, plus its transient: two temporaries the size of the largest
 *       parameter (see {@link AdamW});
 *   <li>reference: the reference policy's FP32 weights 4 P and tables (only when beta > 0);
 *   <li>fp16_copy: FP16 weights and FP16 gradients of the compute copy, 4 P, and the reference's FP16 copy, 2 P
 *       when beta > 0 (FP16 only);
 *   <li>activations: what autograd saves for backward over one micro-batch, per token and layer: 6 D (two RMSNorms:
 *       input, normalised, scaled) + (H + 2 Hkv) Dh (fused q/k/v) + 2 (H + Hkv) Dh (rotary: rotated half and result)
 *       + 2 H Dh (grouped query copy, context copy) + 5 F (SwiGLU: gate/up, sigmoid, product, hidden) + H S
 *       (attention probabilities), plus 3 D for the final norm, all x e; plus one layer's worth again for the
 *       gradients that live while a layer's backward runs, with 3 H S for the scores, scaled and masked scores of
 *       the forward pass;
 *   <li>logits: the head over one micro-batch: the log-softmax output saved for backward, and during backward its
 *       gradient and the logits' gradient: 3 x B S V x 4 (FP16 adds the FP16 logits' gradient, 2 B S V; see
 *       {@link TokenLogProbs}).
 * </ul>
 * The reference pass (no gradients) runs before the policy pass and needs less than its logits part, so it adds
 * nothing to the peak. Not counted: the allocator's cached blocks, the JVM, libtorch itself.
 */
public record TrainingBudget(
        long weights, long gradients, long optimizer, long reference, long fp16Copy, long activations, long logits) {

    /**
     * The budget of one step whose micro-batches have {@code rows} rows of padded length {@code paddedLength}.
     *
     * @param largestParameter elements of the largest parameter (the embedding, usually)
     */
    public static TrainingBudget of(
            ModelConfig c, long parameters, long largestParameter, GrpoConfig config, int rows, int paddedLength) {
        boolean fp16 = config.precision() == GrpoConfig.Precision.FP16;
        long e = fp16 ? 2 : 4;
        long d = c.hiddenSize();
        long dh = c.headDim();
        long h = c.numHeads();
        long hkv = c.numKvHeads();
        long f = c.intermediateSize();
        long s = paddedLength;
        long tables = 2L * c.maxPositionEmbeddings() * dh * 4;
        long weights = 4 * parameters + tables;
        long gradients = 4 * parameters;
        long optimizer = 8 * parameters + 2 * 4 * largestParameter;
        long reference = config.beta() > 0 ? 4 * parameters + tables : 0;
        long halfReference = config.beta() > 0 ? 2 * parameters + tables / 2 : 0;
        long fp16Copy = fp16 ? 4 * parameters + tables / 2 + halfReference : 0;
        long tokens = (long) rows * s;
        long layer = 6 * d + (h + 2 * hkv) * dh + 2 * (h + hkv) * dh + 2 * h * dh + 5 * f + h * s;
        long saved = tokens * (c.numLayers() * layer + 3 * d);
        long backwardLayer = tokens * (layer + 3 * h * s);
        long activations = (saved + backwardLayer) * e;
        long logits = tokens * c.vocabSize() * (3 * 4 + (fp16 ? 2 : 0));
        return new TrainingBudget(weights, gradients, optimizer, reference, fp16Copy, activations, logits);
    }

    public long total() {
        return weights + gradients + optimizer + reference + fp16Copy + activations + logits;
    }

    /** The parts in MB, in the order of the class comment. */
    public Map<String, Double> partsMb() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("weights", mb(weights));
        out.put("gradients", mb(gradients));
        out.put("optimizer", mb(optimizer));
        out.put("reference", mb(reference));
        out.put("fp16_copy", mb(fp16Copy));
        out.put("activations", mb(activations));
        out.put("logits", mb(logits));
        return out;
    }

    public static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
