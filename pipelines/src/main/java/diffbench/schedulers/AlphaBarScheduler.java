package diffbench.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * What PNDM, DDIM and DDPM share: the alpha-bar table of the config's betas, integer timesteps
 * spaced as configured, one step going from t to t - T / N, no input scaling and unit initial
 * noise, add_noise from the same table. Each subclass keeps its own step formula.
 */
abstract class AlphaBarScheduler implements Scheduler {
    private final SchedulerConfig config;
    protected final NoiseSchedule schedule;
    private final double finalAlphaCumprod;
    protected final HostScalars host = new HostScalars();
    private int numInferenceSteps;
    protected double[] timesteps = new double[0];

    /** @param setAlphaToOne alpha-bar past the last step is 1, or alpha-bar(0) when false */
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
    public void setTimesteps(int n) {
        timesteps = config.timestepSpacing().descending(config.betas().numTrainTimesteps(), n, config.stepsOffset(), true);
        numInferenceSteps = n;
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
        Timesteps.requireSet(numInferenceSteps, className());
        return config.betas().numTrainTimesteps() / numInferenceSteps;
    }

    /** alpha-bar at the previous timestep, or the final value when it is past the end (prevT < 0). */
    protected final double prevAlphaCumprod(int prevT) {
        return prevT >= 0 ? schedule.alphaCumprod(prevT) : finalAlphaCumprod;
    }

    @Override
    public final NDArray addNoise(NDArray original, NDArray noise, double timestep) {
        return ForwardDiffusion.addNoise(schedule, host, original, noise, timestep);
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
