package diffbench.schema;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a benchmark cell ended. The CSV holds the id ({@code ok}, {@code oom-at-load},
 * {@code oom-in-warmup-N}, {@code oom-at-iteration-N}, {@code error}, {@code timeout}); reports show
 * the label, worded as diffusers' benchmark tables do ("OOM after warmup", "OOM after 2nd iteration").
 *
 * @param kind      what happened
 * @param iteration the 1-based warm-up call or measured iteration where the OOM struck, 0 otherwise
 */
public record Outcome(Kind kind, int iteration) {

    public enum Kind { OK, OOM_AT_LOAD, OOM_IN_WARMUP, OOM_AT_ITERATION, ERROR, TIMEOUT, COMPILE_ERROR }

    public static final Outcome OK = new Outcome(Kind.OK, 0);
    public static final Outcome OOM_AT_LOAD = new Outcome(Kind.OOM_AT_LOAD, 0);
    public static final Outcome ERROR = new Outcome(Kind.ERROR, 0);
    public static final Outcome TIMEOUT = new Outcome(Kind.TIMEOUT, 0);
    /** The compile step (export or AOTInductor compile) failed; the message is torch's first line. Schema 4. */
    public static final Outcome COMPILE_ERROR = new Outcome(Kind.COMPILE_ERROR, 0);

    private static final Pattern NUMBERED = Pattern.compile("oom-(in-warmup|at-iteration)-([1-9][0-9]*)");

    public Outcome {
        boolean numbered = kind == Kind.OOM_IN_WARMUP || kind == Kind.OOM_AT_ITERATION;
        if (numbered != (iteration > 0)) {
            throw new IllegalArgumentException(kind + " with iteration " + iteration);
        }
    }

    public static Outcome oomInWarmup(int call) {
        return new Outcome(Kind.OOM_IN_WARMUP, call);
    }

    public static Outcome oomAtIteration(int iteration) {
        return new Outcome(Kind.OOM_AT_ITERATION, iteration);
    }

    /** Parses a CSV id; throws with the accepted forms when it is not one. */
    public static Outcome parse(String id) {
        switch (id) {
            case "ok": return OK;
            case "oom-at-load": return OOM_AT_LOAD;
            case "error": return ERROR;
            case "timeout": return TIMEOUT;
            case "compile-error": return COMPILE_ERROR;
            default:
                Matcher m = NUMBERED.matcher(id);
                if (!m.matches()) {
                    throw new IllegalArgumentException("unknown outcome '" + id + "': expected ok, oom-at-load, "
                            + "oom-in-warmup-N, oom-at-iteration-N, error, timeout or compile-error");
                }
                int n = Integer.parseInt(m.group(2));
                return m.group(1).equals("in-warmup") ? oomInWarmup(n) : oomAtIteration(n);
        }
    }

    /** The CSV id. */
    public String id() {
        switch (kind) {
            case OK: return "ok";
            case OOM_AT_LOAD: return "oom-at-load";
            case OOM_IN_WARMUP: return "oom-in-warmup-" + iteration;
            case OOM_AT_ITERATION: return "oom-at-iteration-" + iteration;
            case ERROR: return "error";
            case COMPILE_ERROR: return "compile-error";
            default: return "timeout";
        }
    }

    /** The wording of diffusers' tables: what a reader sees in a report cell. */
    public String label() {
        switch (kind) {
            case OK: return "ok";
            case OOM_AT_LOAD: return "OOM at load";
            // diffusers says "OOM after warmup" when the first warm-up call fails; later ones are rarer
            case OOM_IN_WARMUP: return iteration == 1 ? "OOM after warmup" : "OOM in " + ordinal(iteration) + " warmup call";
            case OOM_AT_ITERATION: return "OOM after " + ordinal(iteration) + " iteration";
            case ERROR: return "error";
            case COMPILE_ERROR: return "compile error";
            default: return "timeout";
        }
    }

    public boolean isOk() {
        return kind == Kind.OK;
    }

    public boolean isOom() {
        return kind == Kind.OOM_AT_LOAD || kind == Kind.OOM_IN_WARMUP || kind == Kind.OOM_AT_ITERATION;
    }

    /** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st. */
    static String ordinal(int n) {
        int lastTwo = n % 100;
        if (lastTwo >= 11 && lastTwo <= 13) {
            return n + "th";
        }
        switch (n % 10) {
            case 1: return n + "st";
            case 2: return n + "nd";
            case 3: return n + "rd";
            default: return n + "th";
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
