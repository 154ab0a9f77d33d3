package diffbench.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * DDIM (diffusers' DDIMScheduler): the SD inpainting checkpoint's and the x4 upscaler's default.
 * With a = alpha-bar(t), a' = alpha-bar(t - T / N) (alpha-bar(0) or 1 past the end):
 * x0 = (x - sqrt(1 - a) e) / sqrt(a) and e as given (epsilon), or x0 = sqrt(a) x - sqrt(1 - a) v and
 * e = sqrt(a) v + sqrt(1 - a) x (v_prediction); x0 clipped/thresholded as configured;
 * x' = sqrt(a') x0 + sqrt(1 - a' - s^2) e (+ s z), s = eta sqrt((1 - a')/(1 - a) (1 - a/a')).
 */
public final class DdimScheduler extends AlphaBarScheduler {
    private final DdimConfig config;
    private final double eta;
    private final NoiseSource noise;

    /** eta 0 (the pipelines' default): deterministic. */
    public DdimScheduler(DdimConfig config) {
        this(config, 0.0, NoiseSource.ENGINE);
    }

    public DdimScheduler(DdimConfig config, double eta, NoiseSource noise) {
        super(config, config.setAlphaToOne());
        this.config = config;
        this.eta = eta;
        this.noise = noise;
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
        int ratio = stepRatio();
        int t = Timesteps.integral(timestep);
        int prevT = t - ratio;
        double a = schedule.alphaCumprod(t);
        double aPrev = prevAlphaCumprod(prevT);
        double b = 1 - a;
        try (Scratch s = host.scratch()) {
            NDArray x0;
            NDArray e;
            switch (config.predictionType()) {
                case EPSILON -> {
                    // (x - sqrt(b) e) / sqrt(a) as (sqrt(b) e - x) / -sqrt(a): exactly equal, one allocation
                    x0 = s.mul(modelOutput, Math.sqrt(b)).subi(sample).divi(s.scalar(-Math.sqrt(a)));
                    e = modelOutput;
                }
                case SAMPLE -> {
                    x0 = modelOutput;
                    e = s.div(s.sub(sample, s.mul(x0, Math.sqrt(a))), Math.sqrt(b));
                }
                case V_PREDICTION -> {
                    x0 = s.sub(s.mul(sample, Math.sqrt(a)), s.mul(modelOutput, Math.sqrt(b)));
                    e = s.add(s.mul(modelOutput, Math.sqrt(a)), s.mul(sample, Math.sqrt(b)));
                }
                default -> throw new AssertionError(config.predictionType());
            }
            x0 = config.clipping().apply(s, x0);
            double variance = (1 - aPrev) / b * (1 - a / aPrev);
            double std = eta * Math.sqrt(variance);
            NDArray prev = s.mul(x0, Math.sqrt(aPrev)).addi(s.mul(e, Math.sqrt(1 - aPrev - std * std)));
            if (eta > 0) {
                NDArray z = s.keep(noise.normal(modelOutput.getManager(), modelOutput.getShape(), modelOutput.getDataType()));
                prev.addi(s.mul(z, std));
            }
            NDArray predicted = withPrediction ? Scratch.handOver(x0.duplicate(), sample) : null;
            return new StepOutput(Scratch.handOver(s.release(prev), sample), predicted);
        }
    }
}
