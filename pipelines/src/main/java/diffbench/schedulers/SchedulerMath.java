package diffbench.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import diffbench.torchscript.HalfFloats;

/** The arithmetic more than one scheduler uses, under diffusers' names. */
final class SchedulerMath {
    private SchedulerMath() {
    }

    /**
     * x_0 from the model output at a timestep with alpha-bar {@code alphaProdT} (PNDM has none; DDIM
     * and DDPM share this): (sample - sqrt(beta_prod_t) eps) / sqrt(alpha_prod_t) for epsilon, the
     * output itself for sample, sqrt(alpha_prod_t) sample - sqrt(beta_prod_t) v for v_prediction.
     * A temporary of {@code s}, or {@code modelOutput} itself.
     */
    static NDArray predOriginalSample(Scratch s, PredictionType prediction, NDArray modelOutput, NDArray sample,
                                      double alphaProdT) {
        double betaProdT = 1 - alphaProdT;
        return switch (prediction) {
            case EPSILON -> s.div(s.sub(sample, s.mul(modelOutput, Math.sqrt(betaProdT))), Math.sqrt(alphaProdT));
            case SAMPLE -> modelOutput;
            case V_PREDICTION -> s.weightedSum(Math.sqrt(alphaProdT), sample, -Math.sqrt(betaProdT), modelOutput);
        };
    }

    /**
     * add_noise of the alpha-bar schedulers: sqrt(alpha_prod_t) x_0 + sqrt(1 - alpha_prod_t) noise.
     * diffusers first casts alpha-bar to the sample's dtype and takes both roots in it, so for
     * fp16/bf16 samples the two coefficients are rounded the same way here.
     */
    static NDArray addNoise(Scratch s, double alphaProdT, NDArray originalSamples, NDArray noise) {
        DataType dtype = originalSamples.getDataType();
        double alphaProd = roundTo(alphaProdT, dtype);
        double sqrtAlphaProd = roundTo(Math.sqrt(alphaProd), dtype);
        double sqrtOneMinusAlphaProd = roundTo(Math.sqrt(roundTo(1 - alphaProd, dtype)), dtype);
        return s.handOver(s.weightedSum(sqrtAlphaProd, originalSamples, sqrtOneMinusAlphaProd, noise), originalSamples);
    }

    /** The value as an array of that dtype holds it (fp32 for anything that is not fp16/bf16/fp64). */
    static double roundTo(double v, DataType dtype) {
        return switch (dtype) {
            case FLOAT16 -> HalfFloats.fromFloat16(HalfFloats.toFloat16((float) v));
            case BFLOAT16 -> HalfFloats.fromBFloat16(HalfFloats.toBFloat16((float) v));
            case FLOAT64 -> v;
            default -> (float) v;
        };
    }

    /** PNDM, DDIM and DDPM index their tables with integer timesteps. */
    static int integral(double t) {
        int i = (int) t;
        if (i != t) {
            throw new IllegalArgumentException("timestep " + t + " is not an integer: this scheduler uses integer timesteps");
        }
        return i;
    }

    static void requireTimesteps(int numInferenceSteps, String scheduler) {
        if (numInferenceSteps == 0) {
            throw new IllegalStateException(scheduler + ": call setTimesteps(n) before stepping");
        }
    }
}
