package diffbench.pipeline.images;

import java.awt.image.BufferedImage;

/**
 * Separable Lanczos-3 resizing of RGB images (PIL's LANCZOS, which diffusers' image processor uses):
 * for downscaling the kernel widens by the scale factor, so every source pixel contributes.
 */
final class Resampling {
    private static final double SUPPORT = 3.0;

    private Resampling() {
    }

    static BufferedImage resize(BufferedImage src, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        if (src.getWidth() == width && src.getHeight() == height) {
            return src;
        }
        int sw = src.getWidth();
        int sh = src.getHeight();
        double[][] planes = new double[3][sw * sh];
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                int p = src.getRGB(x, y);
                planes[0][y * sw + x] = (p >> 16) & 255;
                planes[1][y * sw + x] = (p >> 8) & 255;
                planes[2][y * sw + x] = p & 255;
            }
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        double[][] result = new double[3][];
        for (int c = 0; c < 3; c++) {
            double[] horizontal = pass(planes[c], sw, sh, width, true);
            result[c] = pass(horizontal, width, sh, height, false);
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                out.setRGB(x, y, (to8(result[0][i]) << 16) | (to8(result[1][i]) << 8) | to8(result[2][i]));
            }
        }
        return out;
    }

    /** Resamples along x (horizontal) or y from {@code w x h} to the new length on that axis. */
    private static double[] pass(double[] in, int w, int h, int newLength, boolean horizontal) {
        int oldLength = horizontal ? w : h;
        int outW = horizontal ? newLength : w;
        int outH = horizontal ? h : newLength;
        double[] out = new double[outW * outH];
        double scale = (double) oldLength / newLength;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        for (int o = 0; o < newLength; o++) {
            double center = (o + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(center - support));
            int hi = Math.min(oldLength, (int) Math.ceil(center + support));
            double[] weights = new double[hi - lo];
            double sum = 0;
            for (int s = lo; s < hi; s++) {
                double wgt = lanczos((s + 0.5 - center) / filterScale);
                weights[s - lo] = wgt;
                sum += wgt;
            }
            for (int k = 0; k < weights.length; k++) {
                weights[k] /= sum;
            }
            int lines = horizontal ? h : w;
            for (int line = 0; line < lines; line++) {
                double acc = 0;
                for (int s = lo; s < hi; s++) {
                    acc += weights[s - lo] * (horizontal ? in[line * w + s] : in[s * w + line]);
                }
                if (horizontal) {
                    out[line * outW + o] = acc;
                } else {
                    out[o * outW + line] = acc;
                }
            }
        }
        return out;
    }

    private static double lanczos(double x) {
        if (x == 0) {
            return 1;
        }
        if (Math.abs(x) >= SUPPORT) {
            return 0;
        }
        double px = Math.PI * x;
        return SUPPORT * Math.sin(px) * Math.sin(px / SUPPORT) / (px * px);
    }

    private static int to8(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
