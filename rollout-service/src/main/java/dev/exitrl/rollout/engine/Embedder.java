package dev.exitrl.rollout.engine;

import java.util.List;

/** Sentence embeddings for the diversity bonus. Implementations are thread-safe. */
public interface Embedder {
    /** One embedding per text, {@code (N, dim)}, in input order; one call embeds the whole list. */
    List<float[]> embed(List<String> texts);

    /** A short name for logs and metrics. */
    String name();
}
