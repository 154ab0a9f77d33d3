package diffbench.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Euler (Karras et al. Algorithm 2 without churn; diffusers' EulerDiscreteScheduler as of 0.19):
 * SDXL's default. sigma(t) = sqrt((1 - a) / a) from the fp32 alpha-bar table (fp32 arithmetic, as
 * diffusers computes it), linearly interpolated at the timesteps, with a final 0 appended (N + 1
 * sigmas, stored as fp32). The UNet input is x / sqrt(sigma^2 + 1); a step is
 * x0 = x - sigma e, d = (x - x0) / sigma, x' = x + d (sigma_next - sigma) (the same rounding order
 * as diffusers; s_churn 0, so no noise is drawn). Array math in the arrays' dtype (diffusers
 * 0.19; later versions upcast the step to fp32).
 */
public final class EulerDiscreteScheduler implements Scheduler {
    private final EulerConfig config;
    private final NoiseSchedule schedule;
    private final float[] trainSigmas;
    private final HostScalars host = new HostScalars();
    private int numInferenceSteps;
    private double[] timesteps = new double[0];
    private double[] sigmas = new double[0];

    public EulerDiscreteScheduler(EulerConfig config) {
        this.config = config;
        this.schedule = NoiseSchedule.of(config.betas());
        this.trainSigmas = new float[schedule.size()];
        for (int i = 0; i < trainSigmas.length; i++) {
            float a = (float) schedule.alphaCumprod(i);
            trainSigmas[i] = (float) Math.sqrt((1f - a) / a);
        }
    }

    @Override
    public String className() {
        return "EulerDiscreteScheduler";
    }

    @Override
    public void setTimesteps(int n) {
        timesteps = config.timestepSpacing().descending(config.betas().numTrainTimesteps(), n, config.stepsOffset(), false);
        sigmas = new double[n + 1];
        for (int i = 0; i < n; i++) {
            sigmas[i] = (float) interpolate(timesteps[i]);
        }
        sigmas[n] = 0;
        numInferenceSteps = n;
    }

    /** numpy.interp over the training sigmas at fractional timestep t (double arithmetic). */
    private double interpolate(double t) {
        int last = trainSigmas.length - 1;
        if (t <= 0) {
            return trainSigmas[0];
        }
        if (t >= last) {
            return trainSigmas[last];
        }
        int i = (int) Math.floor(t);
        double frac = t - i;
        double lo = trainSigmas[i];
        double hi = trainSigmas[i + 1];
        return frac == 0 ? lo : lo + (hi - lo) * frac;
    }

    @Override
    public int numInferenceSteps() {
        return numInferenceSteps;
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    /** The N + 1 sigmas of the current schedule (fp32 values; the last is 0). */
    public double[] sigmas() {
        return sigmas.clone();
    }

    /** sqrt(sigma_max^2 + 1) for leading/... spacing, sigma_max for linspace and trailing (diffusers 0.19). */
    @Override
    public double initNoiseSigma() {
        Timesteps.requireSet(numInferenceSteps, className());
        double max = 0;
        for (double s : sigmas) {
            max = Math.max(max, s);
        }
        TimestepSpacing spacing = config.timestepSpacing();
        return spacing == TimestepSpacing.LINSPACE || spacing == TimestepSpacing.TRAILING ? max : (float) Math.sqrt(max * max + 1);
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, double timestep) {
        double sigma = sigmas[indexOf(timestep)];
        try (Scratch s = host.scratch()) {
            return Scratch.handOver(sample.div(s.scalar(Math.sqrt(sigma * sigma + 1))), sample);
        }
    }

    @Override
    public NDArray step(NDArray modelOutput, double timestep, NDArray sample) {
        return advance(modelOutput, timestep, sample, false).prevSample();
    }

    @Override
    public StepOutput stepWithPrediction(NDArray modelOutput, double timestep, NDArray sample) {
        return advance(modelOutput, timestep, sample, true);
    }

    private StepOutput advance(NDArray modelOutput, double timestep, NDArray sample, boolean withPrediction) {
        int i = indexOf(timestep);
        double sigma = sigmas[i];
        double dt = sigmas[i + 1] - sigma;
        try (Scratch s = host.scratch()) {
            NDArray x0 = switch (config.predictionType()) {
                case EPSILON -> s.sub(sample, s.mul(modelOutput, sigma));
                case SAMPLE -> modelOutput;
                case V_PREDICTION -> s.add(s.mul(modelOutput, -sigma / Math.sqrt(sigma * sigma + 1)),
                        s.div(sample, sigma * sigma + 1));
            };
            NDArray predicted = withPrediction ? Scratch.handOver(x0.duplicate(), sample) : null;
            NDArray derivative = s.sub(sample, x0).divi(s.scalar(sigma));
            return new StepOutput(Scratch.handOver(sample.add(derivative.muli(s.scalar(dt))), sample), predicted);
        }
    }

    /** original + noise * sigma(t) (the sigma of t in the current schedule). */
    @Override
    public NDArray addNoise(NDArray original, NDArray noise, double timestep) {
        double sigma = ForwardDiffusion.round(sigmas[indexOf(timestep)], original.getDataType());
        try (Scratch s = host.scratch()) {
            return Scratch.handOver(original.add(s.mul(noise, sigma)), original);
        }
    }

    /** The position of t in the schedule (diffusers searches timesteps == t; here on the host). */
    private int indexOf(double t) {
        Timesteps.requireSet(numInferenceSteps, className());
        for (int i = 0; i < timesteps.length; i++) {
            if (timesteps[i] == t) {
                return i;
            }
        }
        throw new IllegalArgumentException("timestep " + t + " is not in the current schedule of " + numInferenceSteps + " steps");
    }


    /** Coefficient tensors alive in the host manager (0 between calls; for leak checks). */
    int liveHostArrays() {
        return host.liveArrays();
    }

    @Override
    public void close() {
        host.close();
    }
}
