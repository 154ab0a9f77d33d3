package diffbench.pipeline.images;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Step edges of known height land where OpenCV's Canny puts them; thresholds 100/200 behave. */
class CannyEdgesTest {
    static final int W = 32;
    static final int H = 32;

    /** Left of column 16: base; from 16 on: base + step (per row). */
    static int[] verticalStep(int base, int[] stepPerRow) {
        int[] p = new int[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                p[y * W + x] = x < 16 ? base : base + stepPerRow[y];
            }
        }
        return p;
    }

    static int[] rows(int step) {
        int[] s = new int[H];
        Arrays.fill(s, step);
        return s;
    }

    static int count(boolean[] e) {
        int n = 0;
        for (boolean b : e) {
            n += b ? 1 : 0;
        }
        return n;
    }

    @Test
    void stepEdgeLandsOnTheLastColumnBeforeTheStep() {
        // Sobel |dx| = 4 * 200 = 800 on columns 15 and 16; suppression keeps the left one (m > left, m >= right)
        boolean[] e = CannyEdges.controlNetDefault().detect(new int[][] {verticalStep(20, rows(200))}, W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertEquals(x == 15, e[y * W + x], "edge at (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void horizontalStepGivesARow() {
        int[] p = new int[W * H];
        for (int i = 0; i < p.length; i++) {
            p[i] = i / W < 10 ? 0 : 180;
        }
        boolean[] e = CannyEdges.controlNetDefault().detect(new int[][] {p}, W, H);
        assertEquals(W, count(e));
        for (int x = 0; x < W; x++) {
            assertTrue(e[9 * W + x], "row 9, column " + x);
        }
    }

    @Test
    void thresholdsAndHysteresis() {
        CannyEdges canny = CannyEdges.controlNetDefault();
        // step 20 -> magnitude 80 <= low 100: nothing
        assertEquals(0, count(canny.detect(new int[][] {verticalStep(50, rows(20))}, W, H)));
        // step 30 -> 120: above low but never above high: no seed, nothing
        assertEquals(0, count(canny.detect(new int[][] {verticalStep(50, rows(30))}, W, H)));
        // step 60 -> 240 > high: the whole column
        assertEquals(H, count(canny.detect(new int[][] {verticalStep(50, rows(60))}, W, H)));
        // upper half strong (60), lower half weak (30): the weak half is kept through its connection
        int[] mixed = new int[H];
        for (int y = 0; y < H; y++) {
            mixed[y] = y < H / 2 ? 60 : 30;
        }
        boolean[] e = canny.detect(new int[][] {verticalStep(50, mixed)}, W, H);
        for (int y = H / 2 + 2; y < H; y++) {
            assertTrue(e[y * W + 15], "weak edge connected to a strong one, row " + y);
        }
        // lower thresholds accept the weak step alone
        assertEquals(H, count(new CannyEdges(50, 100, 0).detect(new int[][] {verticalStep(50, rows(30))}, W, H)));
    }

    @Test
    void strongestChannelDecides() {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.setRGB(x, y, x < 16 ? 0x102010 : 0x1020d0); // only blue steps (by 192)
            }
        }
        BufferedImage edges = CannyEdges.controlNetDefault().apply(img);
        assertEquals(0xffffff, edges.getRGB(15, 7) & 0xffffff, "white edge in all three channels");
        assertEquals(0, edges.getRGB(16, 7) & 0xffffff);
        assertEquals(0, edges.getRGB(3, 7) & 0xffffff);
    }

    @Test
    void builtInImageHasEdgesAndBlurRemovesNoise() {
        BufferedImage edges = CannyEdges.controlNetDefault().apply(TestImages.builtIn(512, 512));
        int n = 0;
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                n += (edges.getRGB(x, y) & 0xffffff) != 0 ? 1 : 0;
            }
        }
        assertTrue(n > 512 * 4 && n < 512 * 512 / 5, "edge pixels in the built-in image: " + n);
        // salt noise of +-60 on a flat plane: cv2-style Canny fires, a Gaussian pre-blur of sigma 2 does not
        int[] noisy = new int[W * H];
        Random r = new Random(1);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = 100 + (r.nextInt(10) == 0 ? 60 : 0);
        }
        assertTrue(count(CannyEdges.controlNetDefault().detect(new int[][] {noisy}, W, H)) > 0);
        assertFalse(count(new CannyEdges(100, 200, 2.0).detect(new int[][] {noisy}, W, H)) > 0);
    }
}
