package diffbench.schema;

/**
 * Preset step and call counts of a cell, the one both front doors take their defaults from (the harness
 * and `diffbench run`); every number can be overridden by its own option, which {@link #steps(Integer)},
 * {@link #warmups(Integer)} and {@link #measurements(Integer)} resolve and check in one place.
 */
public enum Profile {
    /**
     * A first look at a card in minutes: few steps, 2 warm-up calls, 3 measured calls. Two, since
     * TorchScript's profiling executor profiles a graph on its first run and optimises it on the
     * second: the networks called once per pipeline call (text encoder, VAE) would otherwise be
     * optimised inside the first measured call of a compiled cell.
     */
    quick(5, 2, 3, 900),
    /** The published figures' setting: 50 steps, 2 warm-up calls, 5 measured calls. */
    full(50, 2, 5, 3600);

    private final int steps;
    private final int warmups;
    private final int measurements;
    /** Default wall-clock limit of one cell (fork start to fork exit), seconds. */
    private final int cellTimeoutSeconds;

    Profile(int steps, int warmups, int measurements, int cellTimeoutSeconds) {
        this.steps = steps;
        this.warmups = warmups;
        this.measurements = measurements;
        this.cellTimeoutSeconds = cellTimeoutSeconds;
    }

    /** Denoising steps: {@code given} (`--steps`), else the profile's; at least 1. */
    public int steps(Integer given) {
        return atLeast("--steps", given != null ? given : steps, 1);
    }

    /** Warm-up calls: {@code given} (`--warmups`), else the profile's; 0 or more. */
    public int warmups(Integer given) {
        return atLeast("--warmups", given != null ? given : warmups, 0);
    }

    /** Measured calls: {@code given} (`--measurements`), else the profile's; at least 1. */
    public int measurements(Integer given) {
        return atLeast("--measurements", given != null ? given : measurements, 1);
    }

    /** Seconds one cell may take: {@code given} (`--cell-timeout`), else the profile's; at least 1. */
    public int cellTimeoutSeconds(Integer given) {
        return atLeast("--cell-timeout", given != null ? given : cellTimeoutSeconds, 1);
    }

    private static int atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be " + (min == 0 ? "0 or more" : "at least " + min)
                    + ", not " + value);
        }
        return value;
    }
}
