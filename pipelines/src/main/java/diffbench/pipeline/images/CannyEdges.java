package diffbench.pipeline.images;

import java.awt.image.BufferedImage;

/**
 * Canny edge detection with OpenCV's {@code cv2.Canny(image, low, high)} semantics, as the
 * diffusers ControlNet-canny example runs it on an RGB image with thresholds 100/200: 3x3 Sobel
 * gradients (replicated border) per channel, at each pixel the channel with the largest L1
 * magnitude |dx| + |dy|, non-maximum suppression along the gradient direction quantised to 0, 45,
 * 90, 135 degrees, a pixel is a candidate above {@code low} and a seed above {@code high}, and
 * hysteresis keeps the candidates 8-connected to a seed. cv2.Canny does not blur: an optional
 * Gaussian pre-blur is available for noisy photos. Output: the ControlNet's 3-channel image, edges
 * white (255) on black.
 */
public final class CannyEdges {
    /** tan(22.5 degrees) in Q15, as OpenCV compares directions without division */
    private static final long TAN_22_5_Q15 = 13573;
    private final int low;
    private final int high;
    private final double blurSigma;

    public CannyEdges(int low, int high, double blurSigma) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("Canny thresholds need 0 <= low <= high, got " + low + ", " + high);
        }
        this.low = low;
        this.high = high;
        this.blurSigma = blurSigma;
    }

    /** The diffusers ControlNet-canny example: cv2.Canny(image, 100, 200), no blur. */
    public static CannyEdges controlNetDefault() {
        return new CannyEdges(100, 200, 0);
    }

    public BufferedImage apply(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[][] planes = new int[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb.getRGB(x, y);
                planes[0][y * w + x] = (p >> 16) & 255;
                planes[1][y * w + x] = (p >> 8) & 255;
                planes[2][y * w + x] = p & 255;
            }
        }
        boolean[] edges = detect(planes, w, h);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < edges.length; i++) {
            out.setRGB(i % w, i / w, edges[i] ? 0xffffff : 0);
        }
        return out;
    }

    /** Edge map of one or more 8-bit planes (row-major, w x h). */
    public boolean[] detect(int[][] planes, int w, int h) {
        int n = w * h;
        int[] dx = new int[n];
        int[] dy = new int[n];
        int[] mag = new int[n];
        for (int c = 0; c < planes.length; c++) {
            int[] plane = blurSigma > 0 ? blur(planes[c], w, h, blurSigma) : planes[c];
            for (int y = 0; y < h; y++) {
                int up = Math.max(y - 1, 0) * w;
                int row = y * w;
                int down = Math.min(y + 1, h - 1) * w;
                for (int x = 0; x < w; x++) {
                    int l = Math.max(x - 1, 0);
                    int r = Math.min(x + 1, w - 1);
                    int gx = plane[up + r] + 2 * plane[row + r] + plane[down + r] - plane[up + l] - 2 * plane[row + l] - plane[down + l];
                    int gy = plane[down + l] + 2 * plane[down + x] + plane[down + r] - plane[up + l] - 2 * plane[up + x] - plane[up + r];
                    int m = Math.abs(gx) + Math.abs(gy);
                    if (c == 0 || m > mag[row + x]) { // the first channel with the largest magnitude wins
                        mag[row + x] = m;
                        dx[row + x] = gx;
                        dy[row + x] = gy;
                    }
                }
            }
        }
        return hysteresis(suppress(dx, dy, mag, w, h), w, h);
    }

    private static final byte NONE = 0;
    private static final byte WEAK = 1;
    private static final byte STRONG = 2;

    /** Non-maximum suppression and the double threshold. */
    private byte[] suppress(int[] dx, int[] dy, int[] mag, int w, int h) {
        byte[] state = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int m = mag[i];
                if (m <= low) {
                    continue;
                }
                long ax = Math.abs(dx[i]);
                long ay = (long) Math.abs(dy[i]) << 15;
                long tg22x = ax * TAN_22_5_Q15;
                boolean max;
                if (ay < tg22x) { // gradient mostly horizontal: compare left and right
                    max = m > at(mag, x - 1, y, w, h) && m >= at(mag, x + 1, y, w, h);
                } else if (ay > tg22x + (ax << 16)) { // mostly vertical: compare up and down
                    max = m > at(mag, x, y - 1, w, h) && m >= at(mag, x, y + 1, w, h);
                } else { // diagonal
                    int s = (dx[i] ^ dy[i]) < 0 ? -1 : 1;
                    max = m > at(mag, x - s, y - 1, w, h) && m > at(mag, x + s, y + 1, w, h);
                }
                if (max) {
                    state[i] = m > high ? STRONG : WEAK;
                }
            }
        }
        return state;
    }

    /** Magnitude with 0 outside the image (OpenCV pads its magnitude rows with zeros). */
    private static int at(int[] mag, int x, int y, int w, int h) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0 : mag[y * w + x];
    }

    private static boolean[] hysteresis(byte[] state, int w, int h) {
        boolean[] edge = new boolean[w * h];
        int[] stack = new int[w * h];
        int top = 0;
        for (int i = 0; i < state.length; i++) {
            if (state[i] == STRONG) {
                edge[i] = true;
                stack[top++] = i;
            }
        }
        while (top > 0) {
            int i = stack[--top];
            int x = i % w;
            int y = i / w;
            for (int ny = Math.max(y - 1, 0); ny <= Math.min(y + 1, h - 1); ny++) {
                for (int nx = Math.max(x - 1, 0); nx <= Math.min(x + 1, w - 1); nx++) {
                    int j = ny * w + nx;
                    if (!edge[j] && state[j] == WEAK) {
                        edge[j] = true;
                        stack[top++] = j;
                    }
                }
            }
        }
        return edge;
    }

    /** Separable Gaussian blur, replicated border, rounded back to integers. */
    static int[] blur(int[] plane, int w, int h, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        double[] tmp = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = -radius; i <= radius; i++) {
                    acc += k[i + radius] * plane[y * w + Math.min(Math.max(x + i, 0), w - 1)];
                }
                tmp[y * w + x] = acc;
            }
        }
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = -radius; i <= radius; i++) {
                    acc += k[i + radius] * tmp[Math.min(Math.max(y + i, 0), h - 1) * w + x];
                }
                out[y * w + x] = (int) Math.round(acc);
            }
        }
        return out;
    }
}
