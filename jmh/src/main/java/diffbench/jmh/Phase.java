package diffbench.jmh;

/**
 * Where a cell's fork is: loading the pipeline, in warm-up call N, in measured call N, or done.
 * The fork writes it to its {@link ForkReport}; outcomes and fault injection are named after it.
 */
public record Phase(Kind kind, int n) {

    public enum Kind { load, warmup, iteration, done }

    public static final Phase LOAD = new Phase(Kind.load, 0);
    public static final Phase DONE = new Phase(Kind.done, 0);

    /** Warm-up call {@code n} (from 1). */
    public static Phase warmup(int n) {
        return new Phase(Kind.warmup, n);
    }

    /** Measured call {@code n} (from 1). */
    public static Phase measured(int n) {
        return new Phase(Kind.iteration, n);
    }

    /** Parses `load`, `warmup:N` or `iteration:N` (N counts from 1), the fault-injection syntax. */
    public static Phase parse(String text) {
        String[] parts = text.trim().split(":", 2);
        Kind kind;
        try {
            kind = Kind.valueOf(parts[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad phase '" + text + "': use load, warmup:N or iteration:N");
        }
        if (kind == Kind.load || kind == Kind.done) {
            return new Phase(kind, 0);
        }
        if (parts.length < 2) {
            throw new IllegalArgumentException("bad phase '" + text + "': " + kind + " needs a call number, e.g. " + kind + ":1");
        }
        int n = Integer.parseInt(parts[1].trim());
        if (n < 1) {
            throw new IllegalArgumentException("bad phase '" + text + "': call numbers start at 1");
        }
        return new Phase(kind, n);
    }

    @Override
    public String toString() {
        return n == 0 ? kind.name() : kind + ":" + n;
    }
}
