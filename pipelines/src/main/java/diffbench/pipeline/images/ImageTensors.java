package diffbench.pipeline.images;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Images to and from NCHW float32 tensors the way diffusers' pipelines prepare them: VAE inputs in
 * [-1, 1] (pixel / 127.5 - 1), ControlNet conditions in [0, 1] (pixel / 255), and outputs
 * back to 8-bit with (x / 2 + 0.5) clamped to [0, 1], times 255, rounded.
 */
public final class ImageTensors {
    private ImageTensors() {
    }

    public enum Range {
        /** the VAE encoder's input (img2img, inpainting): 2 (p / 255) - 1 */
        MINUS_ONE_TO_ONE,
        /** the ControlNet condition: p / 255 */
        ZERO_TO_ONE
    }

    /** One image repeated {@code batch} times: (batch, 3, H, W). */
    public static NDArray toTensor(NDManager manager, BufferedImage img, int batch, Range range) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        float[] one = new float[3 * plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    float v = ((p >> (16 - 8 * c)) & 255) / 255f;
                    one[c * plane + y * w + x] = range == Range.MINUS_ONE_TO_ONE ? 2f * v - 1f : v;
                }
            }
        }
        float[] all = new float[batch * one.length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(one, 0, all, b * one.length, one.length);
        }
        return manager.create(all, new Shape(batch, 3, h, w));
    }

    /** (B, 3, H, W) in [-1, 1], any float dtype and device, to B RGB images. */
    public static List<BufferedImage> toImages(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("expected images of shape (B, 3, H, W), got " + s);
        }
        int b = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        NDArray onCpu = images.toDevice(ai.djl.Device.cpu(), false);
        NDArray asFloat = onCpu.toType(DataType.FLOAT32, false);
        float[] v = asFloat.toFloatArray();
        for (NDArray copy : new NDArray[] {asFloat, onCpu}) { // conversions return the argument when they copy nothing
            if (copy != images && !copy.isReleased()) {
                copy.close();
            }
        }
        List<BufferedImage> out = new ArrayList<>(b);
        int plane = w * h;
        for (int i = 0; i < b; i++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int base = i * 3 * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int k = y * w + x;
                    img.setRGB(x, y, (to8(v[base + k]) << 16) | (to8(v[base + plane + k]) << 8) | to8(v[base + 2 * plane + k]));
                }
            }
            out.add(img);
        }
        return out;
    }

    /** diffusers: round(clamp(x / 2 + 0.5, 0, 1) * 255) in fp32; NaN becomes 0. */
    static int to8(float x) {
        float v = x / 2f + 0.5f;
        if (!(v > 0)) {
            return 0;
        }
        return (int) Math.rint(Math.min(v, 1f) * 255f); // numpy rounds half to even
    }

    /** Writes {@code prefix-0.png}, {@code prefix-1.png}, ... into dir; returns the files. */
    public static List<Path> savePngs(NDArray images, Path dir, String prefix) {
        List<Path> files = new ArrayList<>();
        List<BufferedImage> list = toImages(images);
        for (int i = 0; i < list.size(); i++) {
            Path f = dir.resolve(prefix + "-" + i + ".png");
            ImageFiles.writePng(list.get(i), f);
            files.add(f);
        }
        return files;
    }
}
