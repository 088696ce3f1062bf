package dev.fvec.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** What each calling thread owns: its output vector and which image it encodes next. */
@State(Scope.Thread)
public class Caller {

    float[] out;
    int next;

    @Setup
    public void setup(SharedEncoder shared) {
        out = new float[shared.encoder.length()];
        // Start the callers half a cycle apart.
        next = shared.callers.getAndIncrement() * (SharedEncoder.IMAGES / 2) % SharedEncoder.IMAGES;
    }

    /** Encodes this caller's next image with the shared encoder. */
    float[] encodeNext(SharedEncoder s) {
        int i = next;
        next = i + 1 == SharedEncoder.IMAGES ? 0 : i + 1;
        s.encoder.encode(s.x, i * s.stride, s.n, out, 0);
        return out;
    }
}
