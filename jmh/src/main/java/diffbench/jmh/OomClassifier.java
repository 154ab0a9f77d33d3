package diffbench.jmh;

import java.util.Locale;

/**
 * Recognises running out of device memory. DJL surfaces libtorch's `c10::OutOfMemoryError` as an
 * `ai.djl.engine.EngineException` whose message carries libtorch's text ("CUDA out of memory. Tried
 * to allocate ..."); CPU allocators say "out of memory" or "DefaultCPUAllocator: not enough memory".
 * A Java heap `OutOfMemoryError` is a harness problem, not the card's, and stays an error.
 */
public final class OomClassifier {

    private OomClassifier() {}

    /** True when the throwable or any of its causes reads as an out-of-memory failure. */
    public static boolean isOom(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (isOomText(c.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** The same test on text: an exception message, or a stack trace a dead fork printed. */
    public static boolean isOomText(String text) {
        if (text == null) {
            return false;
        }
        String s = text.toLowerCase(Locale.ROOT);
        return s.contains("out of memory")
                || s.contains("c10::outofmemoryerror")
                || s.contains("not enough memory")
                || s.contains("cudaerrormemoryallocation");
    }
}
