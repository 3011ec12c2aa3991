package dev.exitrl.rollout.engine;

import java.util.List;
import java.util.function.Supplier;

/**
 * Creates the real embedder at its first use: loading the ONNX model costs a second and ~100 MB, and only presets
 * with the diversity bonus need it.
 */
public final class LazyEmbedder implements Embedder {
    private final Supplier<Embedder> factory;
    private final String name;
    private volatile Embedder delegate;

    public LazyEmbedder(String name, Supplier<Embedder> factory) {
        this.name = name;
        this.factory = factory;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Embedder e = delegate;
        if (e == null) {
            synchronized (this) {
                e = delegate;
                if (e == null) {
                    e = factory.get();
                    delegate = e;
                }
            }
        }
        return e.embed(texts);
    }

    @Override
    public String name() {
        return name;
    }
}
