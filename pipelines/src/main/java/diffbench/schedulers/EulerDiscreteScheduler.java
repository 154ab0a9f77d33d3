package diffbench.schedulers;

import ai.djl.ndarray.NDArray;
import diffbench.models.ConfigReader;

/**
 * Euler (Karras et al. 2022, Algorithm 2 without churn; diffusers' EulerDiscreteScheduler as of
 * 0.19): SDXL's default. sigma(t) = sqrt((1 - alpha_prod_t) / alpha_prod_t) from the fp32 alpha-bar
 * table in fp32 arithmetic, as diffusers computes it, linearly interpolated at the timesteps, a final
 * 0 appended (N + 1 sigmas, stored as fp32). Array math in the arrays' dtype (diffusers 0.19; later
 * versions upcast the step to fp32).
 */
public final class EulerDiscreteScheduler implements Scheduler {

    /**
     * EulerDiscreteScheduler's {@code scheduler_config.json} (diffusers 0.19 keys and defaults; note
     * the default spacing is linspace, SDXL's file says leading). Linear sigma interpolation only.
     */
    public record Config(BetaConfig betas, PredictionType predictionType, TimestepSpacing timestepSpacing,
                         int stepsOffset) implements SchedulerConfig {

        static Config read(ConfigReader r) {
            BetaConfig betas = BetaConfig.read(r);
            PredictionType prediction = PredictionType.read(r);
            r.choice("interpolation_type", "linear", "linear");
            r.require("use_karras_sigmas", false, false);
            return new Config(betas, prediction, TimestepSpacing.read(r, TimestepSpacing.LINSPACE), r.intOr("steps_offset", 0));
        }

        @Override
        public String className() {
            return "EulerDiscreteScheduler";
        }
    }

    private final Config config;
    /** sigma at each training timestep (fp32). */
    private final float[] trainSigmas;
    private final Scratch.HostScalars host = new Scratch.HostScalars();
    private int numInferenceSteps;
    private double[] timesteps = new double[0];
    private double[] sigmas = new double[0];

    public EulerDiscreteScheduler(Config config) {
        this.config = config;
        NoiseSchedule schedule = NoiseSchedule.of(config.betas());
        this.trainSigmas = new float[schedule.size()];
        for (int i = 0; i < trainSigmas.length; i++) {
            float alphaProd = (float) schedule.alphaCumprod(i);
            trainSigmas[i] = (float) Math.sqrt((1f - alphaProd) / alphaProd);
        }
    }

    @Override
    public String className() {
        return "EulerDiscreteScheduler";
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        int n = numInferenceSteps;
        timesteps = config.timestepSpacing().descending(config.betas().numTrainTimesteps(), n, config.stepsOffset(), false);
        sigmas = new double[n + 1];
        for (int i = 0; i < n; i++) {
            sigmas[i] = (float) interpolate(timesteps[i]);
        }
        sigmas[n] = 0;
        this.numInferenceSteps = n;
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
        SchedulerMath.requireTimesteps(numInferenceSteps, className());
        double max = 0;
        for (double sigma : sigmas) {
            max = Math.max(max, sigma);
        }
        TimestepSpacing spacing = config.timestepSpacing();
        return spacing == TimestepSpacing.LINSPACE || spacing == TimestepSpacing.TRAILING ? max : (float) Math.sqrt(max * max + 1);
    }

    /** sample / sqrt(sigma^2 + 1). */
    @Override
    public NDArray scaleModelInput(NDArray sample, double timestep) {
        double sigma = sigmas[stepIndex(timestep)];
        try (Scratch s = host.scratch()) {
            return s.handOver(s.div(sample, Math.sqrt(sigma * sigma + 1)), sample);
        }
    }

    @Override
    public StepOutput stepWithPrediction(NDArray modelOutput, double timestep, NDArray sample) {
        int stepIndex = stepIndex(timestep);
        double sigma = sigmas[stepIndex]; // sigma_hat = sigma: s_churn 0, so gamma is 0 and no noise is drawn
        try (Scratch s = host.scratch()) {
            // 1. the predicted original sample x_0
            NDArray predOriginalSample = switch (config.predictionType()) {
                case EPSILON -> s.sub(sample, s.mul(modelOutput, sigma));
                case SAMPLE -> modelOutput;
                case V_PREDICTION -> s.add(s.mul(modelOutput, -sigma / Math.sqrt(sigma * sigma + 1)), s.div(sample, sigma * sigma + 1));
            };

            // 2. the ODE derivative, and one Euler step along it
            NDArray derivative = s.div(s.sub(sample, predOriginalSample), sigma);
            double dt = sigmas[stepIndex + 1] - sigma;
            NDArray prevSample = s.add(sample, s.mul(derivative, dt));
            return new StepOutput(s.handOver(prevSample, sample), s.handOver(predOriginalSample, sample));
        }
    }

    /** original_samples + noise sigma(t) (the sigma of t in the current schedule). */
    @Override
    public NDArray addNoise(NDArray originalSamples, NDArray noise, double timestep) {
        double sigma = SchedulerMath.roundTo(sigmas[stepIndex(timestep)], originalSamples.getDataType());
        try (Scratch s = host.scratch()) {
            return s.handOver(s.add(originalSamples, s.mul(noise, sigma)), originalSamples);
        }
    }

    /** The position of t in the schedule (diffusers searches timesteps == t; here on the host). */
    private int stepIndex(double t) {
        SchedulerMath.requireTimesteps(numInferenceSteps, className());
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
