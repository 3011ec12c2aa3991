package dev.exitrl.rollout;

import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import dev.exitrl.rollout.engine.PolicyView;
import java.util.ArrayList;
import java.util.List;

/** A policy view that records every generate call (rows, parameters, prompts, outputs) before passing it on. */
public final class CountingPolicy implements PolicyView {
    private final PolicyView delegate;
    public final List<Integer> callRows = new ArrayList<>();
    public final List<SamplingParams> callParams = new ArrayList<>();
    public final List<List<long[]>> callPrompts = new ArrayList<>();
    public final List<List<Generation>> callOutputs = new ArrayList<>();

    public CountingPolicy(PolicyView delegate) {
        this.delegate = delegate;
    }

    @Override
    public long version() {
        return delegate.version();
    }

    @Override
    public int maxPositions() {
        return delegate.maxPositions();
    }

    @Override
    public long[] encode(String text) {
        return delegate.encode(text);
    }

    @Override
    public long[] encodePlain(String text) {
        return delegate.encodePlain(text);
    }

    @Override
    public synchronized List<Generation> generate(List<long[]> rows, SamplingParams params) {
        callRows.add(rows.size());
        callParams.add(params);
        callPrompts.add(List.copyOf(rows));
        List<Generation> out = delegate.generate(rows, params);
        callOutputs.add(out);
        return out;
    }
}
