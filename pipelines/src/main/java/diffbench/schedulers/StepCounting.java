package diffbench.schedulers;

/**
 * PNDM's two readings of "N steps". The published diffusers benchmark ran diffusers' PLMS, whose
 * warm-up evaluates the UNet N + 1 times (the second timestep appears twice: the second call
 * redoes the first transition with the average of both model outputs). The plain reading is one
 * UNet call per step.
 */
public enum StepCounting {
    /** diffusers: N + 1 timesteps ([981, 961, 961, 941, ..., 1] for 50), as the benchmark counts. */
    BENCHMARK,
    /** N timesteps ([981, 961, ..., 1]); the multistep order ramps up 1, 2, 3, 4 without a redo. */
    PLAIN
}
