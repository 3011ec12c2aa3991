package dev.exitrl.rollout.engine;

import dev.exitrl.policy.sampling.Generation;
import dev.exitrl.policy.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;

/** A policy view that records every generate call (its row count) before passing it on. */
final class CountingPolicy implements PolicyView {
    final PolicyView delegate;
    final List<Integer> callRows = new ArrayList<>();
    final List<SamplingParams> callParams = new ArrayList<>();
    final List<long[]> prompts = new ArrayList<>();

    CountingPolicy(PolicyView delegate) {
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
    public synchronized List<Generation> generate(List<long[]> rows, SamplingParams params) {
        callRows.add(rows.size());
        callParams.add(params);
        prompts.addAll(rows);
        return delegate.generate(rows, params);
    }
}
