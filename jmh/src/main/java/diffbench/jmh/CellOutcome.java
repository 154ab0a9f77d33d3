package diffbench.jmh;

/**
 * How a cell ended: `ok`, `oom-at-load`, `oom-in-warmup-N`, `oom-at-iteration-N`, `error` or
 * `timeout`, with a message for everything but `ok`. Becomes diffbench.schema.Outcome at the merge.
 */
record CellOutcome(String outcome, String message) {

    static final CellOutcome OK = new CellOutcome("ok", "");

    boolean ok() {
        return outcome.equals("ok");
    }

    /** The outcome of a failure at a phase: OOMs are named by where, anything else is `error`. */
    static CellOutcome failedAt(Phase phase, boolean oom, String message) {
        if (!oom) {
            return new CellOutcome("error", phase == null ? message : "in " + phase + ": " + message);
        }
        if (phase == null) {
            return new CellOutcome("error", "out of memory at an unknown phase: " + message);
        }
        return new CellOutcome(switch (phase.kind()) {
            case load -> "oom-at-load";
            case warmup -> "oom-in-warmup-" + phase.n();
            case iteration -> "oom-at-iteration-" + phase.n();
            case done -> "oom-at-close";
        }, message);
    }
}
