package diffbench.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import diffbench.torchscript.HalfFloats;

/**
 * add_noise of the alpha-bar schedulers (PNDM, DDIM, DDPM): sqrt(a) x0 + sqrt(1 - a) noise with
 * a = alpha-bar(t). diffusers first casts alpha-bar to the sample's dtype and takes both roots in
 * it, so for fp16/bf16 samples the two coefficients are rounded the same way here.
 */
final class ForwardDiffusion {
    private ForwardDiffusion() {
    }

    static NDArray addNoise(NoiseSchedule schedule, HostScalars host, NDArray original, NDArray noise, double timestep) {
        int t = Timesteps.integral(timestep);
        DataType dtype = original.getDataType();
        double a = round(schedule.alphaCumprod(t), dtype);
        double sqrtA = round(Math.sqrt(a), dtype);
        double sqrtOneMinusA = round(Math.sqrt(round(1 - a, dtype)), dtype);
        try (Scratch s = host.scratch()) {
            return Scratch.handOver(s.mul(original, sqrtA).add(s.mul(noise, sqrtOneMinusA)), original);
        }
    }

    /** The value as an array of that dtype holds it (fp32 for anything that is not fp16/bf16/fp64). */
    static double round(double v, DataType dtype) {
        return switch (dtype) {
            case FLOAT16 -> HalfFloats.fromFloat16(HalfFloats.toFloat16((float) v));
            case BFLOAT16 -> HalfFloats.fromBFloat16(HalfFloats.toBFloat16((float) v));
            case FLOAT64 -> v;
            default -> (float) v;
        };
    }
}
