package diffbench.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * What PNDM, DDIM and DDPM share (diffusers repeats it in each): the alpha-bar table of the
 * config's betas ({@code alphas_cumprod}), integer timesteps spaced as configured, a step from t to
 * {@code prev_timestep = t - T / N}, no input scaling, unit initial noise, add_noise from the same
 * table. Each subclass writes its own {@code step}.
 */
abstract class AlphaBarScheduler implements Scheduler {
    private final SchedulerConfig config;
    protected final NoiseSchedule schedule;
    /** alpha-bar past the last step: 1 ({@code set_alpha_to_one}) or alpha-bar(0). */
    private final double finalAlphaCumprod;
    protected final Scratch.HostScalars host = new Scratch.HostScalars();
    private int numInferenceSteps;
    protected double[] timesteps = new double[0];

    AlphaBarScheduler(SchedulerConfig config, boolean setAlphaToOne) {
        this.config = config;
        this.schedule = NoiseSchedule.of(config.betas());
        this.finalAlphaCumprod = setAlphaToOne ? 1.0 : schedule.alphaCumprod(0);
    }

    @Override
    public final String className() {
        return config.className();
    }

    public final NoiseSchedule noiseSchedule() {
        return schedule;
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        timesteps = config.timestepSpacing().descending(config.betas().numTrainTimesteps(), numInferenceSteps,
                config.stepsOffset(), true);
        this.numInferenceSteps = numInferenceSteps;
    }

    @Override
    public final int numInferenceSteps() {
        return numInferenceSteps;
    }

    @Override
    public final double[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public final double initNoiseSigma() {
        return 1.0;
    }

    @Override
    public final NDArray scaleModelInput(NDArray sample, double timestep) {
        return sample;
    }

    /** T / N, the training timesteps one step moves back; fails if setTimesteps was not called. */
    protected final int stepRatio() {
        SchedulerMath.requireTimesteps(numInferenceSteps, className());
        return config.betas().numTrainTimesteps() / numInferenceSteps;
    }

    /** diffusers' {@code alphas_cumprod[t]}, or {@code final_alpha_cumprod} for t < 0 (past the last step). */
    protected final double alphaProd(int t) {
        return t >= 0 ? schedule.alphaCumprod(t) : finalAlphaCumprod;
    }

    @Override
    public final NDArray addNoise(NDArray originalSamples, NDArray noise, double timestep) {
        try (Scratch s = host.scratch()) {
            return SchedulerMath.addNoise(s, schedule.alphaCumprod(SchedulerMath.integral(timestep)), originalSamples, noise);
        }
    }

    /** Coefficient tensors alive in the host manager (0 between calls; for leak checks). */
    final int liveHostArrays() {
        return host.liveArrays();
    }

    @Override
    public void close() {
        host.close();
    }
}
