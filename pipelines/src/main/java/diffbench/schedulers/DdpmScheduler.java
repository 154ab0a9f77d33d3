package diffbench.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import diffbench.models.ConfigReader;

/**
 * Ancestral DDPM sampling (diffusers' DDPMScheduler): DeepFloyd IF's default. {@link #stepWithPrediction} follows
 * diffusers' numbered steps (Ho et al. 2020, formulas 6, 7 and 15) under its names.
 */
public final class DdpmScheduler extends AlphaBarScheduler {

    /** DDPMScheduler's {@code scheduler_config.json} (diffusers 0.19 keys and defaults). */
    public record Config(BetaConfig betas, VarianceType varianceType, SampleClipping clipping,
                         PredictionType predictionType, TimestepSpacing timestepSpacing, int stepsOffset)
            implements SchedulerConfig {

        static Config read(ConfigReader r) {
            BetaConfig betas = BetaConfig.read(r);
            VarianceType variance = VarianceType.read(r);
            SampleClipping clipping = SampleClipping.read(r);
            PredictionType prediction = PredictionType.read(r);
            return new Config(betas, variance, clipping, prediction, TimestepSpacing.read(r, TimestepSpacing.LEADING),
                    r.intOr("steps_offset", 0));
        }

        @Override
        public String className() {
            return "DDPMScheduler";
        }
    }

    /**
     * The posterior variance ({@code variance_type}). {@code fixed_large_log} is not offered: diffusers
     * takes the square root of a log variance there (NaN), so no checkpoint can use it.
     */
    public enum VarianceType implements SchedulerConfig.Choice {
        FIXED_SMALL,
        FIXED_SMALL_LOG,
        FIXED_LARGE,
        /** the network's extra channels are the variance */
        LEARNED,
        /** the network's extra channels v in [-1, 1] interpolate the log variance: frac = (v + 1) / 2 (IF) */
        LEARNED_RANGE;

        static VarianceType read(ConfigReader r) {
            return SchedulerConfig.Choice.read(r, "variance_type", FIXED_SMALL);
        }

        /** Whether the model output carries the variance in a second half of its channels. */
        public boolean learned() {
            return this == LEARNED || this == LEARNED_RANGE;
        }
    }

    private final Config config;
    private final NoiseSource noise;

    public DdpmScheduler(Config config) {
        this(config, NoiseSource.ENGINE);
    }

    public DdpmScheduler(Config config, NoiseSource noise) {
        super(config, true); // diffusers' DDPM uses 1 past the end
        this.config = config;
        this.noise = noise;
    }

    @Override
    public StepOutput stepWithPrediction(NDArray modelOutput, double timestep, NDArray sample) {
        int t = SchedulerMath.integral(timestep);
        int prevTimestep = t - stepRatio();
        try (Scratch s = host.scratch()) {
            // a learned variance arrives as the second half of the model output's channels
            NDArray predictedVariance = null;
            long channels = sample.getShape().get(1);
            if (config.varianceType().learned() && modelOutput.getShape().get(1) == 2 * channels) {
                NDList halves = modelOutput.split(new long[] {channels}, 1);
                modelOutput = s.keep(halves.get(0));
                predictedVariance = s.keep(halves.get(1));
            }

            // 1. alphas and betas
            double alphaProdT = alphaProd(t);
            double alphaProdTPrev = alphaProd(prevTimestep);
            double betaProdT = 1 - alphaProdT;
            double betaProdTPrev = 1 - alphaProdTPrev;
            double currentAlphaT = alphaProdT / alphaProdTPrev;
            double currentBetaT = 1 - currentAlphaT;

            // 2. the predicted original sample x_0 (formula 15)
            NDArray predOriginalSample = SchedulerMath.predOriginalSample(s, config.predictionType(), modelOutput, sample, alphaProdT);

            // 3. clip or threshold x_0
            predOriginalSample = config.clipping().apply(s, predOriginalSample);

            // 4. + 5. the posterior mean mu_t (formula 7)
            double predOriginalSampleCoeff = Math.sqrt(alphaProdTPrev) * currentBetaT / betaProdT;
            double currentSampleCoeff = Math.sqrt(currentAlphaT) * betaProdTPrev / betaProdT;
            NDArray predPrevSample = s.weightedSum(predOriginalSampleCoeff, predOriginalSample, currentSampleCoeff, sample);

            // 6. the noise, for t > 0
            if (t > 0) {
                NDArray varianceNoise = s.keep(noise.normal(modelOutput.getManager(), sample.getShape(), modelOutput.getDataType()));
                double variance = Math.max(betaProdTPrev / betaProdT * currentBetaT, 1e-20); // formula 7's beta tilde
                predPrevSample = s.add(predPrevSample, scaledNoise(s, varianceNoise, variance, currentBetaT, predictedVariance));
            }
            return new StepOutput(s.handOver(predPrevSample, sample), s.handOver(predOriginalSample, sample));
        }
    }

    /** sigma_t z for the configured variance type (a temporary of {@code s}). */
    private NDArray scaledNoise(Scratch s, NDArray varianceNoise, double variance, double currentBetaT, NDArray predictedVariance) {
        return switch (config.varianceType()) {
            case FIXED_SMALL -> s.mul(varianceNoise, Math.sqrt(variance));
            case FIXED_SMALL_LOG -> s.mul(varianceNoise, Math.exp(0.5 * Math.log(variance)));
            case FIXED_LARGE -> s.mul(varianceNoise, Math.sqrt(currentBetaT));
            case LEARNED -> s.keep(s.keep(requirePredicted(predictedVariance).sqrt()).mul(varianceNoise));
            case LEARNED_RANGE -> {
                NDArray frac = s.div(s.add(requirePredicted(predictedVariance), s.scalar(1)), 2);
                NDArray oneMinusFrac = s.keep(s.scalar(1).sub(frac));
                double minLog = Math.log(variance);
                double maxLog = Math.log(currentBetaT);
                NDArray logVariance = s.weightedSum(maxLog, frac, minLog, oneMinusFrac);
                yield s.keep(s.keep(s.mul(logVariance, 0.5).exp()).mul(varianceNoise));
            }
        };
    }

    private NDArray requirePredicted(NDArray predictedVariance) {
        if (predictedVariance == null) {
            throw new IllegalArgumentException("variance_type " + config.varianceType().key() + " needs a model output with twice "
                    + "the sample's channels (the second half is the variance)");
        }
        return predictedVariance;
    }
}
