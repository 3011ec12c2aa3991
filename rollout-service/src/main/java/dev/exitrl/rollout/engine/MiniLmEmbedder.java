package dev.exitrl.rollout.engine;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * all-MiniLM-L6-v2 (sentence-transformers, 384 dimensions, mean pooling, unit-normalised) run in-process by ONNX
 * Runtime from the model file inside langchain4j's Maven artifact: no network, no GPU, no Python. The paper used
 * domain embedding models (a math BERT, CodeXEmbed 400M); a general sentence model is our choice for every domain,
 * since the bonus only compares the responses of one group with each other. Texts longer than the model's 512 tokens
 * are split and their embeddings averaged by langchain4j.
 *
 * <p>The ONNX session is created once (about a second and ~100 MB); keep one instance per JVM.
 */
public final class MiniLmEmbedder implements Embedder {
    private final EmbeddingModel model;

    /** Texts of one call are embedded in parallel on langchain4j's default executor. */
    public MiniLmEmbedder() {
        this.model = new AllMiniLmL6V2EmbeddingModel();
    }

    /** Texts of one call are embedded as tasks on {@code executor} ({@code Runnable::run}: one after another). */
    public MiniLmEmbedder(Executor executor) {
        this.model = new AllMiniLmL6V2EmbeddingModel(executor);
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            segments.add(TextSegment.from(t));
        }
        List<Embedding> embeddings = model.embedAll(segments).content();
        List<float[]> out = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            out.add(e.vector());
        }
        return out;
    }

    @Override
    public String name() {
        return "all-minilm-l6-v2";
    }
}
