package diffbench.schedulers;

import diffbench.models.ConfigReader;

/**
 * How {@code set_timesteps(N)} spreads N inference timesteps over the training range
 * ({@code timestep_spacing}; diffusers' numpy expressions, reproduced in double arithmetic with
 * numpy's round-half-to-even).
 */
public enum TimestepSpacing implements SchedulerConfig.Choice {
    /** (arange(N) * (T // N)).round() reversed, plus steps_offset: [981, 961, ..., 1] for T 1000, N 50, offset 1. */
    LEADING,
    /** linspace(0, T - 1, N) reversed (rounded to integers by the integer-timestep schedulers). */
    LINSPACE,
    /** arange(T, 0, -T / N).round() - 1: [999, 979, ..., 19] for T 1000, N 50. */
    TRAILING;

    static TimestepSpacing read(ConfigReader r, TimestepSpacing fallback) {
        return SchedulerConfig.Choice.read(r, "timestep_spacing", fallback);
    }

    /**
     * The N timesteps in denoising (descending) order.
     *
     * @param roundLinspace integer schedulers round linspace values; Euler keeps them fractional
     */
    double[] descending(int trainSteps, int n, int stepsOffset, boolean roundLinspace) {
        if (n <= 0) {
            throw new IllegalArgumentException("num_inference_steps must be positive, got " + n);
        }
        if (n > trainSteps) {
            throw new IllegalArgumentException("num_inference_steps " + n + " exceeds num_train_timesteps " + trainSteps);
        }
        double[] out = new double[n];
        switch (this) {
            case LEADING -> {
                int ratio = trainSteps / n;
                for (int i = 0; i < n; i++) {
                    out[n - 1 - i] = (double) i * ratio + stepsOffset;
                }
            }
            case LINSPACE -> {
                double step = n == 1 ? 0 : (trainSteps - 1.0) / (n - 1);
                for (int i = 0; i < n; i++) {
                    double v = i == n - 1 ? trainSteps - 1.0 : i * step;
                    out[n - 1 - i] = roundLinspace ? Math.rint(v) : v;
                }
            }
            case TRAILING -> {
                // numpy arange(T, 0, -r): length ceil(T / r), values start + i * (second - first)
                double r = (double) trainSteps / n;
                int len = (int) Math.ceil(trainSteps / r);
                double start = trainSteps;
                double delta = (start - r) - start;
                if (len != n) {
                    throw new IllegalStateException("trailing spacing gives " + len + " timesteps for " + n + " steps");
                }
                for (int i = 0; i < n; i++) {
                    out[i] = Math.rint(start + i * delta) - 1;
                }
            }
            default -> throw new AssertionError(this);
        }
        if (out[0] >= trainSteps) { // diffusers fails later with an index error
            throw new IllegalArgumentException(n + " steps with " + key() + " spacing and steps_offset " + stepsOffset
                    + " reach timestep " + (long) out[0] + ", past num_train_timesteps " + trainSteps + ": use fewer steps");
        }
        return out;
    }
}
