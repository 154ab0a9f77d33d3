package diffbench.pipeline.images;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading user images ({@code --image}, {@code --mask}) and writing PNGs. */
public final class ImageFiles {
    private ImageFiles() {
    }

    /**
     * Reads a PNG/JPEG/BMP/GIF file as RGB and resizes it (Lanczos) to width x height; any failure
     * is one line naming the file and the fix.
     */
    public static BufferedImage readRgb(Path file, int width, int height) {
        BufferedImage img = read(file);
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                rgb.setRGB(x, y, rgbOf(img, x, y));
            }
        }
        return Resampling.resize(rgb, width, height);
    }

    /** Reads an image as 8-bit grey (PIL "L": 0.299 R + 0.587 G + 0.114 B), resized to width x height. */
    public static BufferedImage readGray(Path file, int width, int height) {
        BufferedImage rgb = readRgb(file, width, height);
        BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = rgb.getRGB(x, y);
                int l = luma((p >> 16) & 255, (p >> 8) & 255, p & 255);
                gray.getRaster().setSample(x, y, 0, l);
            }
        }
        return gray;
    }

    /** PIL's L conversion: (R * 299 + G * 587 + B * 114) / 1000, rounded. */
    static int luma(int r, int g, int b) {
        return (r * 299 + g * 587 + b * 114 + 500) / 1000;
    }

    private static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("image " + file + " does not exist: pass an existing PNG or JPEG file, "
                    + "or leave the option out to use the built-in test image");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read image " + file + " (" + e.getMessage()
                    + "): pass a PNG or JPEG file, or leave the option out to use the built-in test image", e);
        }
        if (img == null) {
            throw new IllegalArgumentException("cannot read image " + file + ": not a PNG, JPEG, BMP or GIF file; "
                    + "convert it to PNG, or leave the option out to use the built-in test image");
        }
        return img;
    }

    /**
     * The pixel as 8-bit RGB, alpha dropped (as PIL's convert("RGB")). Grey images give their stored
     * levels: Java's getRGB would gamma-convert its linear grey colour space (100 becomes ~170).
     */
    private static int rgbOf(BufferedImage img, int x, int y) {
        if (img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            int bits = img.getColorModel().getComponentSize(0);
            int v = img.getRaster().getSample(x, y, 0) >> Math.max(0, bits - 8);
            return (v << 16) | (v << 8) | v;
        }
        return img.getRGB(x, y) & 0xffffff;
    }

    public static void writePng(BufferedImage img, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
