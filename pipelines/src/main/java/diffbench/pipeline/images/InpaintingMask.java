package diffbench.pipeline.images;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * The inpainting mask as diffusers' StableDiffusionInpaintPipeline (v0.17) prepares it: grey
 * levels / 255 binarised at 0.5 (1 = repaint), {@code masked_image = image * (mask < 0.5)}, and
 * the mask brought to latent size by nearest-neighbour interpolation.
 */
public final class InpaintingMask {
    private InpaintingMask() {
    }

    /** The built-in mask: a white (repaint) rectangle over the centre half of each side. */
    public static BufferedImage builtIn(int width, int height) {
        BufferedImage mask = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = height / 4; y < height - height / 4; y++) {
            for (int x = width / 4; x < width - width / 4; x++) {
                mask.getRaster().setSample(x, y, 0, 255);
            }
        }
        return mask;
    }

    /** A user mask ({@code --mask FILE}): any image, converted to grey and resized. */
    public static BufferedImage read(Path file, int width, int height) {
        return ImageFiles.readGray(file, width, height);
    }

    /** Binary mask values (0 or 1), row-major H x W. */
    static float[] binarise(BufferedImage mask) {
        int w = mask.getWidth();
        int h = mask.getHeight();
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = mask.getRGB(x, y);
                int grey = mask.getType() == BufferedImage.TYPE_BYTE_GRAY
                        ? mask.getRaster().getSample(x, y, 0)
                        : ImageFiles.luma((p >> 16) & 255, (p >> 8) & 255, p & 255);
                out[y * w + x] = grey / 255f >= 0.5f ? 1f : 0f;
            }
        }
        return out;
    }

    /** (batch, 1, H, W) float32 of 0/1 at image resolution. */
    public static NDArray toTensor(NDManager manager, BufferedImage mask, int batch) {
        float[] one = binarise(mask);
        return manager.create(repeat(one, batch), new Shape(batch, 1, mask.getHeight(), mask.getWidth()));
    }

    /**
     * (batch, 1, h, w) at latent resolution: PyTorch's default nearest interpolation picks source
     * index floor(i * in / out).
     */
    public static NDArray toLatentTensor(NDManager manager, BufferedImage mask, int batch, int latentHeight, int latentWidth) {
        float[] full = binarise(mask);
        int w = mask.getWidth();
        float sy = (float) mask.getHeight() / latentHeight;
        float sx = (float) w / latentWidth;
        float[] small = new float[latentHeight * latentWidth];
        for (int y = 0; y < latentHeight; y++) {
            int srcY = Math.min((int) Math.floor(y * sy), mask.getHeight() - 1);
            for (int x = 0; x < latentWidth; x++) {
                int srcX = Math.min((int) Math.floor(x * sx), w - 1);
                small[y * latentWidth + x] = full[srcY * w + srcX];
            }
        }
        return manager.create(repeat(small, batch), new Shape(batch, 1, latentHeight, latentWidth));
    }

    /** image (B, 3, H, W) in [-1, 1] times (mask < 0.5): repaint area set to 0, in the image's dtype. */
    public static NDArray maskedImage(NDArray image, NDArray mask) {
        try (NDArray keep = mask.lt(0.5f); NDArray keepF = keep.toType(image.getDataType(), false)) {
            return image.mul(keepF);
        }
    }

    private static float[] repeat(float[] one, int batch) {
        float[] all = new float[batch * one.length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(one, 0, all, b * one.length, one.length);
        }
        return all;
    }
}
