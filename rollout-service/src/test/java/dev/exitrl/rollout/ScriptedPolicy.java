package dev.exitrl.rollout;

import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import dev.exitrl.rollout.engine.PolicyView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A policy without a model: a script maps each row's decoded context to the reply it "generates". Characters are
 * tokens ({@code id = char + 3}, BOS 1, EOS 2); replies end with EOS and are cut at the call's maxNewTokens (finish
 * reason {@code length}), as the real sampler does. Every call is recorded.
 */
public class ScriptedPolicy implements PolicyView {
    public static final long BOS = 1;
    public static final long EOS = 2;
    public static final float LOG_PROB = -0.25f;

    private final Function<String, String> script;
    private final int maxPositions;
    public final List<Integer> callRows = new ArrayList<>();
    public final List<List<String>> callContexts = new ArrayList<>();
    public final List<List<Generation>> callOutputs = new ArrayList<>();

    public ScriptedPolicy(int maxPositions, Function<String, String> script) {
        this.maxPositions = maxPositions;
        this.script = script;
    }

    @Override
    public long version() {
        return 1;
    }

    @Override
    public int maxPositions() {
        return maxPositions;
    }

    @Override
    public long[] encode(String text) {
        long[] plain = encodePlain(text);
        long[] out = new long[plain.length + 1];
        out[0] = BOS;
        System.arraycopy(plain, 0, out, 1, plain.length);
        return out;
    }

    @Override
    public long[] encodePlain(String text) {
        return text.chars().mapToLong(c -> c + 3L).toArray();
    }

    public static String decode(long[] ids) {
        StringBuilder s = new StringBuilder();
        for (long id : ids) {
            if (id >= 3) {
                s.append((char) (id - 3));
            }
        }
        return s.toString();
    }

    @Override
    public List<Generation> generate(List<long[]> prompts, SamplingParams params) {
        List<Generation> out = new ArrayList<>(prompts.size());
        List<String> contexts = new ArrayList<>(prompts.size());
        for (long[] prompt : prompts) {
            if (prompt.length + params.maxNewTokens() > maxPositions) {
                throw new IllegalArgumentException("prompt plus maxNewTokens exceed the context");
            }
            String context = decode(prompt);
            contexts.add(context);
            String reply = script.apply(context);
            long[] ids = Arrays.copyOf(encodePlain(reply), reply.length() + 1);
            ids[reply.length()] = EOS;
            String finish = "eos";
            if (ids.length > params.maxNewTokens()) {
                ids = Arrays.copyOf(ids, params.maxNewTokens());
                finish = "length";
            }
            float[] lp = new float[ids.length];
            Arrays.fill(lp, LOG_PROB);
            out.add(new Generation(decode(ids), ids, lp, finish));
        }
        callRows.add(prompts.size());
        callContexts.add(contexts);
        callOutputs.add(out);
        return out;
    }
}
