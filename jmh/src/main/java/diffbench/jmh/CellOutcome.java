package diffbench.jmh;

import diffbench.runtime.AotiCompiler;
import diffbench.schema.Outcome;

/**
 * How a cell ended ({@link Outcome}, the schema's) and what went wrong: the exception message a
 * failed cell's row records, empty for `ok`. The pairing is the harness's; the outcomes are not.
 */
record CellOutcome(Outcome outcome, String message) {

    static final CellOutcome OK = new CellOutcome(Outcome.OK, "");

    static CellOutcome error(String message) {
        return new CellOutcome(Outcome.ERROR, message);
    }

    static CellOutcome timeout(String message) {
        return new CellOutcome(Outcome.TIMEOUT, message);
    }

    boolean ok() {
        return outcome.isOk();
    }

    /** Whether the cell is a failure of the run rather than a result (an OOM is a result). */
    boolean failed() {
        return outcome.kind() == Outcome.Kind.ERROR || outcome.kind() == Outcome.Kind.TIMEOUT
                || outcome.kind() == Outcome.Kind.COMPILE_ERROR;
    }

    /**
     * The outcome of a failure at a phase: OOMs are named by where, a failed export or compile of the
     * compiled mode is `compile-error` (torch's first line), anything else is `error`.
     */
    static CellOutcome failedAt(Phase phase, boolean oom, String message) {
        int compile = message.indexOf(AotiCompiler.CompileFailedException.PREFIX);
        if (compile >= 0) {
            return new CellOutcome(Outcome.COMPILE_ERROR,
                    message.substring(compile + AotiCompiler.CompileFailedException.PREFIX.length()));
        }
        if (!oom) {
            return error(phase == null ? message : "in " + phase + ": " + message);
        }
        if (phase == null) {
            return error("out of memory at an unknown phase: " + message);
        }
        return switch (phase.kind()) {
            case load -> new CellOutcome(Outcome.OOM_AT_LOAD, message);
            case warmup -> new CellOutcome(Outcome.oomInWarmup(phase.n()), message);
            case iteration -> new CellOutcome(Outcome.oomAtIteration(phase.n()), message);
            // every call had finished: the schema names OOMs by the call they cut short, and none was
            case done -> error("out of memory after the last call: " + message);
        };
    }
}
