package dev.sequor.runtime.inference;

import dev.sequor.modelpackage.ModelPackage;

/** A model that serves: its package, its session and its batcher, and what it was loaded from. */
public record LoadedModel(String uri, String version, ModelPackage pkg, OnnxRecommender recommender,
        DynamicBatcher batcher, double loadSeconds) implements AutoCloseable {

    /** Drains the queued requests, then frees the session. */
    @Override
    public void close() {
        batcher.close();
        recommender.close();
    }
}
