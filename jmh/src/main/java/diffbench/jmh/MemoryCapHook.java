package diffbench.jmh;

import diffbench.runtime.CudaExtras;

/**
 * The one place that applies `-Demulate=CARD`'s memory cap inside the fork, before the pipeline
 * loads: libtorch's caching allocator is limited to the card's memory, so larger allocations fail
 * with the engine's own "CUDA out of memory". That needs the project's JNI with CUDA; with DJL's
 * JNI (or on CPU) the cap cannot be applied and the cell fails saying why, rather than measure an
 * uncapped card in a row that says it was capped (the harness refuses --emulate on CPU up front).
 */
final class MemoryCapHook {

    static final String PROPERTY = "diffbench.memoryCapMib";

    private MemoryCapHook() {}

    static void applyFromSystemProperty() {
        long capMib = Long.getLong(PROPERTY, 0);
        if (capMib <= 0) {
            return;
        }
        if (CudaExtras.capMemory(0, capMib * 1024 * 1024)) {
            System.out.println("diffbench: GPU memory capped at " + capMib + " MiB");
        } else {
            String why = CudaExtras.isSupported() ? "libtorch has no CUDA device here" : CudaExtras.reasonUnsupported();
            // measuring uncapped under a row that says "capped" would be a silently wrong result
            throw new IllegalStateException("memory cap " + capMib + " MiB (--emulate) cannot be applied: " + why);
        }
    }
}
