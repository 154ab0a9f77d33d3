package diffbench.jmh;

/** Preset step and call counts; every number can be overridden by its own option. */
enum Profile {
    /** A first look at a card in minutes: few steps, 1 warm-up call, 3 measured calls. */
    quick(5, 1, 3, 900),
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
