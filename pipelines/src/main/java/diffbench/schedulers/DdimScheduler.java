package diffbench.schedulers;

import ai.djl.ndarray.NDArray;
import diffbench.models.ConfigReader;

/**
 * DDIM (diffusers' DDIMScheduler): the SD inpainting checkpoint's and the x4 upscaler's default.
 * {@link #stepWithPrediction} follows diffusers' numbered steps (Song et al. 2020, formula 12) under its names.
 */
public final class DdimScheduler extends AlphaBarScheduler {

    /** DDIMScheduler's {@code scheduler_config.json} (diffusers 0.19 keys and defaults). */
    public record Config(BetaConfig betas, SampleClipping clipping, boolean setAlphaToOne, int stepsOffset,
                         PredictionType predictionType, TimestepSpacing timestepSpacing) implements SchedulerConfig {

        static Config read(ConfigReader r) {
            BetaConfig betas = BetaConfig.read(r);
            SampleClipping clipping = SampleClipping.read(r);
            boolean setAlphaToOne = r.boolOr("set_alpha_to_one", true);
            int stepsOffset = r.intOr("steps_offset", 0);
            PredictionType prediction = PredictionType.read(r);
            TimestepSpacing spacing = TimestepSpacing.read(r, TimestepSpacing.LEADING);
            r.require("rescale_betas_zero_snr", false, false);
            return new Config(betas, clipping, setAlphaToOne, stepsOffset, prediction, spacing);
        }

        @Override
        public String className() {
            return "DDIMScheduler";
        }
    }

    private final Config config;
    private final double eta;
    private final NoiseSource noise;

    /** eta 0 (the pipelines' default): deterministic. */
    public DdimScheduler(Config config) {
        this(config, 0.0, NoiseSource.ENGINE);
    }

    public DdimScheduler(Config config, double eta, NoiseSource noise) {
        super(config, config.setAlphaToOne());
        this.config = config;
        this.eta = eta;
        this.noise = noise;
    }

    @Override
    public StepOutput stepWithPrediction(NDArray modelOutput, double timestep, NDArray sample) {
        // 1. the previous timestep
        int t = SchedulerMath.integral(timestep);
        int prevTimestep = t - stepRatio();

        // 2. alphas and betas
        double alphaProdT = alphaProd(t);
        double alphaProdTPrev = alphaProd(prevTimestep);
        double betaProdT = 1 - alphaProdT;

        try (Scratch s = host.scratch()) {
            // 3. the predicted original sample x_0 and the noise it implies
            NDArray predOriginalSample = SchedulerMath.predOriginalSample(s, config.predictionType(), modelOutput, sample, alphaProdT);
            NDArray predEpsilon = switch (config.predictionType()) {
                case EPSILON -> modelOutput;
                case SAMPLE -> s.div(s.sub(sample, s.mul(predOriginalSample, Math.sqrt(alphaProdT))), Math.sqrt(betaProdT));
                case V_PREDICTION -> s.weightedSum(Math.sqrt(alphaProdT), modelOutput, Math.sqrt(betaProdT), sample);
            };

            // 4. clip or threshold x_0
            predOriginalSample = config.clipping().apply(s, predOriginalSample);

            // 5. the variance sigma_t(eta), formula 16
            double variance = (1 - alphaProdTPrev) / betaProdT * (1 - alphaProdT / alphaProdTPrev);
            double stdDevT = eta * Math.sqrt(variance);

            // 6. + 7. x_{t-1} without noise: sqrt(alpha_prod_t_prev) x_0 + the direction pointing to x_t
            NDArray prevSample = s.weightedSum(Math.sqrt(alphaProdTPrev), predOriginalSample,
                    Math.sqrt(1 - alphaProdTPrev - stdDevT * stdDevT), predEpsilon);

            // 8. the noise, for eta > 0
            if (eta > 0) {
                NDArray varianceNoise = s.keep(noise.normal(modelOutput.getManager(), modelOutput.getShape(), modelOutput.getDataType()));
                prevSample.addi(s.mul(varianceNoise, stdDevT));
            }
            return new StepOutput(s.handOver(prevSample, sample), s.handOver(predOriginalSample, sample));
        }
    }
}
