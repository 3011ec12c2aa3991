package dev.exitrl.rollout.engine;

import dev.exitrl.core.domain.ChatMessage;
import dev.exitrl.policy.Policy;
import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import dev.exitrl.policy.tokenizer.ChatTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one policy version a batch runs on: what the engine needs of an exit-policy {@code Policy}, plus the version.
 * It is also the seam where tests count generate calls.
 */
public interface PolicyView {
    long version();

    /** The policy's context length: prompt plus response tokens must fit in it. */
    int maxPositions();

    /**
     * A task prompt's token ids as the model sees it: rendered with the checkpoint's chat template when it has one,
     * else the plain text with the tokenizer's special tokens (BOS).
     */
    long[] encode(String text);

    /** Token ids of text that continues a context (environment observations): no special tokens. */
    long[] encodePlain(String text);

    /**
     * Token ids of the observations that follow the model's message: with the checkpoint's chat template, what the
     * template writes for them ({@code tool} results, a next {@code user} request, the closing of the assistant's
     * turn and its next opening); without one, {@link #encodePlain} of the domain's plain rendering.
     *
     * @param messageEndedWithEos whether the model's message ended with its EOS token (the turn's end marker)
     * @param plainText the observations as the domain renders them in plain text
     */
    default long[] encodeObservations(List<ChatMessage> observations, boolean messageEndedWithEos, String plainText) {
        return encodePlain(plainText);
    }

    /** One batched generate call (KV cache, per-token behaviour log-probs), a row per prompt. */
    List<Generation> generate(List<long[]> prompts, SamplingParams params);

    /** A view of {@code policy} as version {@code version}; the caller keeps it open while the view is in use. */
    static PolicyView of(long version, Policy policy) {
        return new PolicyView() {
            @Override
            public long version() {
                return version;
            }

            @Override
            public int maxPositions() {
                return policy.model().config().maxPositionEmbeddings();
            }

            @Override
            public long[] encode(String text) {
                return policy.tokenizer().encodePrompt(text);
            }

            @Override
            public long[] encodePlain(String text) {
                return policy.tokenizer().encodePlain(text);
            }

            @Override
            public long[] encodeObservations(
                    List<ChatMessage> observations, boolean messageEndedWithEos, String plainText) {
                List<ChatTemplate.Message> turns = new ArrayList<>(observations.size());
                for (ChatMessage m : observations) {
                    turns.add(new ChatTemplate.Message(m.role().name().toLowerCase(Locale.ROOT), m.content()));
                }
                return policy.tokenizer()
                        .encodeContinuation(turns, messageEndedWithEos)
                        .orElseGet(() -> encodePlain(plainText));
            }

            @Override
            public List<Generation> generate(List<long[]> prompts, SamplingParams params) {
                return policy.generateIds(prompts, params);
            }
        };
    }
}
