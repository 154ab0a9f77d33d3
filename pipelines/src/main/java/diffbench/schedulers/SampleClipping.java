package diffbench.schedulers;

import diffbench.models.ConfigReader;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * What DDIM and DDPM do to the predicted clean sample x0 before using it: dynamic thresholding
 * (Imagen; takes precedence, as in diffusers) or a plain clamp to [-range, range].
 *
 * @param thresholding per sample, s = quantile(|x0|, ratio) clamped to [1, sampleMaxValue];
 *     x0 = clamp(x0, -s, s) / s, computed in fp32 and cast back (diffusers upcasts too)
 */
public record SampleClipping(boolean thresholding, double dynamicThresholdingRatio, double sampleMaxValue,
                             boolean clipSample, double clipSampleRange) {

    static SampleClipping read(ConfigReader r) {
        return new SampleClipping(
                r.boolOr("thresholding", false),
                r.doubleOr("dynamic_thresholding_ratio", 0.995),
                r.doubleOr("sample_max_value", 1.0),
                r.boolOr("clip_sample", true),
                r.doubleOr("clip_sample_range", 1.0));
    }

    boolean active() {
        return thresholding || clipSample;
    }

    /** Returns x0 itself when nothing applies, else a temporary of {@code s}. */
    NDArray apply(Scratch s, NDArray x0) {
        if (thresholding) {
            return threshold(s, x0);
        }
        if (clipSample) {
            return clamp(s, x0, -clipSampleRange, clipSampleRange);
        }
        return x0;
    }

    /** Clamp with 0-d bounds on the array's device (DJL's clip leaks its two bound arrays). */
    private static NDArray clamp(Scratch s, NDArray x, double lo, double hi) {
        NDArray loBound = s.keep(x.getManager().create((float) lo));
        NDArray hiBound = s.keep(x.getManager().create((float) hi));
        return s.keep(s.keep(x.maximum(loBound)).minimum(hiBound));
    }

    private NDArray threshold(Scratch s, NDArray x0) {
        DataType dtype = x0.getDataType();
        NDArray x = dtype == DataType.FLOAT32 || dtype == DataType.FLOAT64 ? x0 : s.keep(x0.toType(DataType.FLOAT32, false));
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long n = shape.size() / batch;
        NDArray flat = s.keep(x.reshape(batch, n));
        NDArray sorted = s.keep(s.keep(flat.abs()).sort(1));
        // torch.quantile: rank q * (n - 1) in the input's float type, linear interpolation (torch.lerp)
        float rank = (float) dynamicThresholdingRatio * (float) (n - 1);
        long below = (long) rank;
        long above = (long) Math.ceil(rank);
        float w = rank - below;
        NDArray lo = s.keep(sorted.get(":, {}", below));
        NDArray hi = s.keep(sorted.get(":, {}", above));
        NDArray span = s.sub(hi, lo);
        NDArray quantile = w < 0.5f ? s.add(lo, s.mul(span, w)) : s.sub(hi, s.mul(span, 1.0 - w));
        NDArray limit = s.keep(clamp(s, quantile, 1.0, sampleMaxValue).expandDims(1));
        NDArray clamped = s.keep(s.keep(flat.minimum(limit)).maximum(s.keep(limit.neg())));
        NDArray scaled = s.keep(s.keep(clamped.div(limit)).reshape(shape));
        return scaled.getDataType() == dtype ? scaled : s.keep(scaled.toType(dtype, false));
    }
}
