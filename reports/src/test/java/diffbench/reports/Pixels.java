package diffbench.reports;

import java.awt.image.BufferedImage;

/** Pixel statistics for "did something get drawn here" checks. */
final class Pixels {
    private Pixels() {
    }

    /** Fraction of pixels in the rectangle that are not (near) white. */
    static double inkFraction(BufferedImage img, int x0, int y0, int w, int h) {
        long ink = 0;
        long all = 0;
        for (int y = y0; y < Math.min(img.getHeight(), y0 + h); y++) {
            for (int x = x0; x < Math.min(img.getWidth(), x0 + w); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (r < 235 || g < 235 || b < 235) {
                    ink++;
                }
                all++;
            }
        }
        return all == 0 ? 0 : (double) ink / all;
    }

    /** Pixels with a clear hue: series are coloured, while background, grid, axes and text are grey. */
    static long coloured(BufferedImage img) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int r = (p >> 16) & 0xFF;
                int g = (p >> 8) & 0xFF;
                int b = p & 0xFF;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 40) {
                    n++;
                }
            }
        }
        return n;
    }

    /** How many pixels are within {@code tolerance} per channel of {@code rgb}. */
    static long count(BufferedImage img, int rgb, int tolerance) {
        long n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs(((p >> 16) & 0xFF) - ((rgb >> 16) & 0xFF)) <= tolerance
                        && Math.abs(((p >> 8) & 0xFF) - ((rgb >> 8) & 0xFF)) <= tolerance
                        && Math.abs((p & 0xFF) - (rgb & 0xFF)) <= tolerance) {
                    n++;
                }
            }
        }
        return n;
    }
}
