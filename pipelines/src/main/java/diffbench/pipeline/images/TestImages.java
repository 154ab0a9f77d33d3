package diffbench.pipeline.images;

import java.awt.image.BufferedImage;

/**
 * The deterministic built-in input image for img2img, inpainting and the ControlNet edge map when
 * no {@code --image} is given: colour gradients with a disc, a rectangle, a triangle and a band of
 * stripes, so that Canny finds edges and the VAE sees structure. Pixels are computed directly (no
 * Java2D rendering), so every JVM on every platform produces the same bytes.
 */
public final class TestImages {
    private TestImages() {
    }

    public static BufferedImage builtIn(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, pixel((x + 0.5) / width, (y + 0.5) / height));
            }
        }
        return img;
    }

    /** Colour at normalised coordinates (u, v) in [0, 1)^2; later shapes cover earlier ones. */
    private static int pixel(double u, double v) {
        int r = (int) (40 + 150 * u);
        int g = (int) (60 + 120 * v);
        int b = (int) (200 - 100 * u * v);
        if (v > 0.78) { // ground band with diagonal stripes
            boolean stripe = ((int) Math.floor((u + v) * 24)) % 2 == 0;
            r = stripe ? 90 : 150;
            g = stripe ? 140 : 110;
            b = 60;
        }
        double dx = u - 0.30;
        double dy = v - 0.32;
        if (dx * dx + dy * dy < 0.16 * 0.16) { // disc
            r = 240;
            g = 200;
            b = 40;
        }
        if (u > 0.55 && u < 0.85 && v > 0.40 && v < 0.75) { // rectangle with a window
            boolean window = u > 0.64 && u < 0.76 && v > 0.50 && v < 0.62;
            r = window ? 30 : 180;
            g = window ? 30 : 60;
            b = window ? 50 : 70;
        }
        if (v > 0.15 && v < 0.40 && Math.abs(u - 0.70) < (v - 0.15) * 0.6) { // triangle (roof)
            r = 120;
            g = 40;
            b = 30;
        }
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    private static int clamp(int c) {
        return Math.max(0, Math.min(255, c));
    }
}
