package diffbench.schedulers;

import ai.djl.ndarray.NDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Expected values written from the published formulas in plain double arithmetic, independent of
 * the schedulers' own tables (no fp32 emulation: agreement within ~1e-6 relative is expected).
 */
final class HandFormulas {
    private HandFormulas() {
    }

    /** alpha-bar for betas = linspace(sqrt(start), sqrt(end), 1000)^2. */
    static double[] scaledLinearAlphaBar(double start, double end) {
        double[] out = new double[1000];
        double p = 1;
        for (int i = 0; i < 1000; i++) {
            double r = Math.sqrt(start) + i * (Math.sqrt(end) - Math.sqrt(start)) / 999;
            p *= 1 - r * r;
            out[i] = p;
        }
        return out;
    }

    /** alpha-bar of the cosine (squaredcos_cap_v2) schedule. */
    static double[] cosineAlphaBar() {
        double[] out = new double[1000];
        double p = 1;
        for (int i = 0; i < 1000; i++) {
            double beta = Math.min(1 - f((i + 1) / 1000.0) / f(i / 1000.0), 0.999);
            p *= 1 - beta;
            out[i] = p;
        }
        return out;
    }

    private static double f(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    static final double[] SD_ALPHA_BAR = scaledLinearAlphaBar(0.00085, 0.012);

    static void assertValues(double[] expected, NDArray actual, double tolerance, String what) {
        assertValues(expected, actual.toFloatArray(), tolerance, what);
    }

    static void assertValues(double[] expected, float[] got, double tolerance, String what) {
        assertEquals(expected.length, got.length, what + ": size");
        for (int i = 0; i < expected.length; i++) {
            double tol = tolerance * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], got[i], tol, what + " [" + i + "]");
        }
    }
}
