package diffbench.jmh;

/**
 * The one place that applies `-Demulate=CARD`'s memory cap inside the fork. Holding the difference
 * between the real card and the emulated one needs the project's JNI (diffbench.runtime); until
 * that hook exists the cap is only recorded in the row (memory_cap_mib, emulate), and said so.
 */
final class MemoryCapHook {

    static final String PROPERTY = "diffbench.memoryCapMib";

    private MemoryCapHook() {}

    static void applyFromSystemProperty() {
        long capMib = Long.getLong(PROPERTY, 0);
        if (capMib > 0) {
            // TODO(runtime): call diffbench.runtime's cap here, before the pipeline loads.
            System.out.println("diffbench: memory cap " + capMib + " MiB requested; applying it needs the "
                    + "project's JNI (diffbench.runtime), so it is recorded in the row only");
        }
    }
}
