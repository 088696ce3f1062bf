package dev.fvec.spark;

import dev.fvec.FisherEncoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One {@link FisherEncoder} (or {@link dev.fvec.SpatialEncoder}) per executor JVM and transformation: every task of a
 * {@link FisherVectorTransformer#transform} call that runs in this JVM shares it, so the model is
 * rebuilt from the broadcast once, and each executor thread keeps its encoder workspace (a kernel
 * and its statistics) from one partition to the next. A few recent transformations are kept
 * (least recently used first out), so a long-lived executor does not keep every model it saw.
 */
final class EncoderCache {

    private static final int CAPACITY = 4;

    private static final Map<String, Object> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > CAPACITY;
        }
    };

    private EncoderCache() {
    }

    /**
     * The encoder for {@code key} (a {@link FisherEncoder} or, with a spatial layout, a
     * {@link dev.fvec.SpatialEncoder}), built by {@code build} on first use in this JVM.
     */
    @SuppressWarnings("unchecked")
    static <T> T get(String key, Supplier<T> build) {
        synchronized (CACHE) {
            T e = (T) CACHE.get(key);
            if (e == null) {
                e = build.get();
                CACHE.put(key, e);
            }
            return e;
        }
    }
}
