package diffbench.jmh;

/** Preset step and call counts; every number can be overridden by its own option. */
enum Profile {
    /**
     * A first look at a card in minutes: few steps, 2 warm-up calls, 3 measured calls. Two, since
     * TorchScript's profiling executor profiles a graph on its first run and optimises it on the
     * second: the networks called once per pipeline call (text encoder, VAE) would otherwise be
     * optimised inside the first measured call of a compiled cell.
     */
    quick(5, 2, 3, 900),
    /** The published figures' setting: 50 steps, 2 warm-up calls, 5 measured calls. */
    full(50, 2, 5, 3600);

    final int steps;
    final int warmups;
    final int measurements;
    /** Default wall-clock limit of one cell (fork start to fork exit), seconds. */
    final int cellTimeoutSeconds;

    Profile(int steps, int warmups, int measurements, int cellTimeoutSeconds) {
        this.steps = steps;
        this.warmups = warmups;
        this.measurements = measurements;
        this.cellTimeoutSeconds = cellTimeoutSeconds;
    }
}
