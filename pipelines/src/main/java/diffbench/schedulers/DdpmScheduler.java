package diffbench.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Ancestral DDPM sampling (diffusers' DDPMScheduler): DeepFloyd IF's default. With
 * a = alpha-bar(t), a' = alpha-bar(t - T / N) (1 past the end), alpha = a / a', beta = 1 - alpha:
 * x0 from the prediction (clipped or dynamically thresholded as configured),
 * mu = sqrt(a') beta / (1 - a) x0 + sqrt(alpha) (1 - a') / (1 - a) x, and for t > 0
 * x' = mu + sigma z with the configured variance; for {@code learned_range} the model output has
 * twice the sample's channels and its second half v gives
 * log sigma^2 = f log(beta) + (1 - f) log(max(beta (1 - a') / (1 - a), 1e-20)), f = (v + 1) / 2.
 */
public final class DdpmScheduler extends AlphaBarScheduler {
    private final DdpmConfig config;
    private final NoiseSource noise;

    public DdpmScheduler(DdpmConfig config) {
        this(config, NoiseSource.ENGINE);
    }

    public DdpmScheduler(DdpmConfig config, NoiseSource noise) {
        super(config, true); // diffusers' DDPM uses 1 past the end
        this.config = config;
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
        double bPrev = 1 - aPrev;
        double alpha = a / aPrev;
        double beta = 1 - alpha;
        try (Scratch s = host.scratch()) {
            NDArray output = modelOutput;
            NDArray predictedVariance = null;
            long channels = sample.getShape().get(1);
            if (config.varianceType().learned() && modelOutput.getShape().get(1) == 2 * channels) {
                NDList halves = modelOutput.split(new long[] {channels}, 1);
                output = s.keep(halves.get(0));
                predictedVariance = s.keep(halves.get(1));
            }
            NDArray x0 = switch (config.predictionType()) {
                case EPSILON -> s.div(s.sub(sample, s.mul(output, Math.sqrt(b))), Math.sqrt(a));
                case SAMPLE -> output;
                case V_PREDICTION -> s.sub(s.mul(sample, Math.sqrt(a)), s.mul(output, Math.sqrt(b)));
            };
            x0 = config.clipping().apply(s, x0);
            NDArray predicted = withPrediction ? Scratch.handOver(x0.duplicate(), sample) : null;
            double x0Coeff = Math.sqrt(aPrev) * beta / b;
            double sampleCoeff = Math.sqrt(alpha) * bPrev / b;
            NDArray mean = s.mul(x0, x0Coeff).add(s.mul(sample, sampleCoeff));
            if (t > 0) {
                NDArray z = s.keep(noise.normal(modelOutput.getManager(), sample.getShape(), modelOutput.getDataType()));
                mean = s.keep(mean).add(noiseTerm(s, z, beta, bPrev / b * beta, predictedVariance));
            }
            return new StepOutput(Scratch.handOver(mean, sample), predicted);
        }
    }

    /** sigma z for the configured variance type (a temporary of {@code s}). */
    private NDArray noiseTerm(Scratch s, NDArray z, double beta, double posteriorVariance, NDArray predicted) {
        double small = Math.max(posteriorVariance, 1e-20);
        return switch (config.varianceType()) {
            case FIXED_SMALL -> s.mul(z, Math.sqrt(small));
            case FIXED_SMALL_LOG -> s.mul(z, Math.exp(0.5 * Math.log(small)));
            case FIXED_LARGE -> s.mul(z, Math.sqrt(beta));
            case LEARNED -> s.keep(s.keep(requirePredicted(predicted).sqrt()).mul(z));
            case LEARNED_RANGE -> {
                NDArray f = s.div(s.add(requirePredicted(predicted), s.scalar(1)), 2);
                NDArray oneMinusF = s.keep(s.scalar(1).sub(f));
                NDArray logVariance = s.add(s.mul(f, Math.log(beta)), s.mul(oneMinusF, Math.log(small)));
                yield s.keep(s.keep(s.mul(logVariance, 0.5).exp()).mul(z));
            }
        };
    }

    private NDArray requirePredicted(NDArray predicted) {
        if (predicted == null) {
            throw new IllegalArgumentException("variance_type " + config.varianceType() + " needs a model output with twice "
                    + "the sample's channels (the second half is the variance)");
        }
        return predicted;
    }
}
