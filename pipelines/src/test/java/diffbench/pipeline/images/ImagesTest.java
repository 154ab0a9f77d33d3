package diffbench.pipeline.images;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import diffbench.runtime.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagesTest {
    @TempDir
    Path dir;

    @Test
    void builtInImageIsDeterministicWithKnownPixels() {
        BufferedImage a = TestImages.builtIn(512, 512);
        BufferedImage b = TestImages.builtIn(512, 512);
        assertArrayEquals(a.getRGB(0, 0, 512, 512, null, 0, 512), b.getRGB(0, 0, 512, 512, null, 0, 512));
        assertEquals(0xf0c828, a.getRGB((int) (0.30 * 512), (int) (0.32 * 512)) & 0xffffff, "disc centre");
        assertEquals(0x1e1e32, a.getRGB((int) (0.70 * 512), (int) (0.56 * 512)) & 0xffffff, "window");
    }

    @Test
    void tensorsInBothRangesAndBackToPixels() {
        Engines.pytorch();
        BufferedImage img = TestImages.builtIn(16, 12);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray t = ImageTensors.toTensor(m, img, 2, ImageTensors.Range.MINUS_ONE_TO_ONE);
            assertEquals(new Shape(2, 3, 12, 16), t.getShape());
            int p = img.getRGB(5, 7);
            assertEquals(((p >> 8) & 255) / 255.0 * 2 - 1, t.getFloat(1, 1, 7, 5), 1e-6, "green of batch 1 at (5, 7)");
            assertTrue(t.min().getFloat() >= -1 && t.max().getFloat() <= 1);
            NDArray c = ImageTensors.toTensor(m, img, 1, ImageTensors.Range.ZERO_TO_ONE);
            assertEquals((p & 255) / 255.0, c.getFloat(0, 2, 7, 5), 1e-6, "blue in [0, 1]");
            List<BufferedImage> back = ImageTensors.toImages(t);
            assertEquals(2, back.size());
            assertArrayEquals(img.getRGB(0, 0, 16, 12, null, 0, 16), back.get(1).getRGB(0, 0, 16, 12, null, 0, 16), "exact round trip");
            assertEquals(255, ImageTensors.to8(1.5f));
            assertEquals(0, ImageTensors.to8(Float.NaN));
            List<Path> files = ImageTensors.savePngs(t, dir.resolve("out"), "sd");
            assertEquals(List.of(dir.resolve("out/sd-0.png"), dir.resolve("out/sd-1.png")), files);
            BufferedImage read = ImageIO.read(files.get(0).toFile());
            assertArrayEquals(img.getRGB(0, 0, 16, 12, null, 0, 16), read.getRGB(0, 0, 16, 12, null, 0, 16));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void userImagesAreResizedAndBadFilesNameTheFix() throws Exception {
        BufferedImage flat = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 100; x++) {
                flat.setRGB(x, y, x < 50 ? 0x336699 : 0xcc8800);
            }
        }
        Path png = dir.resolve("in.png");
        ImageIO.write(flat, "png", png.toFile());
        BufferedImage r = ImageFiles.readRgb(png, 64, 48);
        assertEquals(64, r.getWidth());
        assertEquals(48, r.getHeight());
        assertEquals(0x336699, r.getRGB(5, 20) & 0xffffff, "flat areas keep their colour");
        assertEquals(0xcc8800, r.getRGB(60, 20) & 0xffffff);
        BufferedImage up = ImageFiles.readRgb(png, 200, 160);
        assertEquals(0x336699, up.getRGB(10, 10) & 0xffffff);

        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ImageFiles.readRgb(text, 64, 64));
        assertTrue(bad.getMessage().contains("notes.png") && bad.getMessage().contains("PNG"), bad.getMessage());
        assertEquals(1, bad.getMessage().lines().count());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ImageFiles.readRgb(dir.resolve("nope.jpg"), 64, 64));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void inpaintingMaskAndMaskedImage() throws Exception {
        Engines.pytorch();
        BufferedImage mask = InpaintingMask.builtIn(512, 512);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray full = InpaintingMask.toTensor(m, mask, 2);
            assertEquals(new Shape(2, 1, 512, 512), full.getShape());
            assertEquals(2 * 256 * 256, full.sum().getFloat(), 0, "centre half of each side");
            NDArray latent = InpaintingMask.toLatentTensor(m, mask, 1, 64, 64);
            assertEquals(32 * 32, latent.sum().getFloat(), 0);
            assertEquals(1f, latent.getFloat(0, 0, 16, 16));
            assertEquals(0f, latent.getFloat(0, 0, 15, 16));
            NDArray image = ImageTensors.toTensor(m, TestImages.builtIn(512, 512), 2, ImageTensors.Range.MINUS_ONE_TO_ONE);
            NDArray masked = InpaintingMask.maskedImage(image, full);
            assertEquals(0f, masked.getFloat(1, 0, 256, 256), 0f, "repaint area is 0");
            assertEquals(image.getFloat(1, 2, 10, 10), masked.getFloat(1, 2, 10, 10), "kept area unchanged");

            // a user mask: grey 100 (< 0.5) keeps, 200 repaints
            BufferedImage user = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    user.getRaster().setSample(x, y, 0, x < 4 ? 100 : 200);
                }
            }
            Path file = dir.resolve("mask.png");
            ImageIO.write(user, "png", file.toFile());
            NDArray u = InpaintingMask.toTensor(m, InpaintingMask.read(file, 8, 8), 1);
            assertEquals(0f, u.getFloat(0, 0, 3, 3));
            assertEquals(1f, u.getFloat(0, 0, 3, 4));
        }
    }
}
