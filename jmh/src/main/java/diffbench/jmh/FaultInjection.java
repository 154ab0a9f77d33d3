package diffbench.jmh;

import ai.djl.engine.EngineException;

/**
 * Test hooks in the fork, set per cell by the harness:
 * `-Ddiffbench.inject.oom=load|warmup:N|iteration:N` throws the engine's own exception type with
 * libtorch's CUDA OOM text at that phase, so the whole classification path runs as on a GPU;
 * `-Ddiffbench.inject.hang=PHASE` blocks there, ignoring interrupts like a stuck native call.
 */
final class FaultInjection {

    static final String OOM = "diffbench.inject.oom";
    static final String HANG = "diffbench.inject.hang";

    private final Phase oomAt;
    private final Phase hangAt;

    private FaultInjection(Phase oomAt, Phase hangAt) {
        this.oomAt = oomAt;
        this.hangAt = hangAt;
    }

    static FaultInjection fromSystemProperties() {
        return new FaultInjection(phase(System.getProperty(OOM)), phase(System.getProperty(HANG)));
    }

    private static Phase phase(String value) {
        return value == null || value.isBlank() || value.equals("none") ? null : Phase.parse(value);
    }

    /** Called at the start of each phase. */
    void at(Phase phase) {
        if (phase.equals(hangAt)) {
            hangUninterruptibly();
        }
        if (phase.equals(oomAt)) {
            throw new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total "
                    + "capacity of 15.00 GiB of which 1.20 GiB is free. (injected by -D" + OOM + "=" + phase + ")");
        }
    }

    private static void hangUninterruptibly() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException ignored) {
                // a native call would not notice JMH's interrupts either
            }
        }
    }
}
