package diffbench.schedulers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import diffbench.runtime.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static diffbench.schedulers.HandFormulas.SD_ALPHA_BAR;
import static diffbench.schedulers.HandFormulas.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * First steps of each scheduler on small fp32 arrays (real libtorch on CPU) against values written
 * from the formula in plain double arithmetic here.
 */
class SchedulerStepTest {
    static final double TOL = 1e-5;
    static final double[] X = {0.5, -1.0, 2.0, 0.25};
    NDManager manager;

    @BeforeEach
    void start() {
        Engines.pytorch();
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    NDArray array(double[] v, long... shape) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return manager.create(f, new Shape(shape));
    }

    /** model output of call k: c_k + 0.05 j at element j */
    static double[] output(double c, int n) {
        double[] e = new double[n];
        for (int j = 0; j < n; j++) {
            e[j] = c + 0.05 * j;
        }
        return e;
    }

    /** PLMS transition t -> tp with combined output e (docs/architectures.md §5). */
    static double[] plmsPrev(double[] x, int t, int tp, double[] e) {
        double a = SD_ALPHA_BAR[t];
        double ap = tp >= 0 ? SD_ALPHA_BAR[tp] : SD_ALPHA_BAR[0];
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = Math.sqrt(ap / a) * x[j] - (ap - a) * e[j] / (a * Math.sqrt(1 - ap) + Math.sqrt(a * (1 - a) * ap));
        }
        return out;
    }

    static double[] combine(double[] w, double div, double[]... e) {
        double[] out = new double[e[0].length];
        for (int j = 0; j < out.length; j++) {
            for (int k = 0; k < w.length; k++) {
                out[j] += w[k] * e[k][j];
            }
            out[j] /= div;
        }
        return out;
    }

    /** The model outputs of PNDM's first six calls (SD 1.5, 50 steps). */
    static double[][] pndmOutputs() {
        double[] c = {0.1, 0.3, -0.2, 0.4, 0.25, -0.15};
        double[][] e = new double[c.length][];
        for (int k = 0; k < c.length; k++) {
            e[k] = output(c[k], 4);
        }
        return e;
    }

    /** The samples after each of PNDM's first six calls from X (diffusers' counting: the second call redoes the first). */
    static double[][] pndmBenchmarkTrajectory(double[][] e) {
        double[][] expected = new double[6][];
        expected[0] = plmsPrev(X, 981, 961, e[0]);
        expected[1] = plmsPrev(X, 981, 961, combine(new double[] {1, 1}, 2, e[1], e[0])); // redo from X
        expected[2] = plmsPrev(expected[1], 961, 941, combine(new double[] {3, -1}, 2, e[2], e[0]));
        expected[3] = plmsPrev(expected[2], 941, 921, combine(new double[] {23, -16, 5}, 12, e[3], e[2], e[0]));
        expected[4] = plmsPrev(expected[3], 921, 901, combine(new double[] {55, -59, 37, -9}, 24, e[4], e[3], e[2], e[0]));
        expected[5] = plmsPrev(expected[4], 901, 881, combine(new double[] {55, -59, 37, -9}, 24, e[5], e[4], e[3], e[2]));
        return expected;
    }

    @Test
    void pndmBenchmarkWarmUpThenAdamsBashforth() {
        double[][] e = pndmOutputs();
        double[][] expected = pndmBenchmarkTrajectory(e);

        try (PndmScheduler s = (PndmScheduler) sd15(StepCounting.BENCHMARK)) {
            s.setTimesteps(50);
            double[] t = s.timesteps();
            NDArray x = array(X, 1, 1, 2, 2);
            assertSame(x, s.scaleModelInput(x, t[0]));
            for (int k = 0; k < 6; k++) {
                try (NDArray out = array(e[k], 1, 1, 2, 2)) {
                    NDArray next = s.step(out, t[k], x);
                    x.close();
                    x = next;
                }
                assertValues(expected[k], x, TOL, "PNDM call " + k + " at t=" + t[k]);
            }
            assertEquals(4, s.heldArrays());
            x.close();
        }
    }

    @Test
    void pndmPlainHasNoRedo() {
        double[][] e = {output(0.1, 4), output(0.3, 4)};
        double[] first = plmsPrev(X, 981, 961, e[0]);
        double[] second = plmsPrev(first, 961, 941, combine(new double[] {3, -1}, 2, e[1], e[0]));
        try (Scheduler s = sd15(StepCounting.PLAIN)) {
            s.setTimesteps(50);
            NDArray x1 = s.step(array(e[0], 1, 1, 2, 2), 981, array(X, 1, 1, 2, 2));
            assertValues(first, x1, TOL, "plain PLMS 1st");
            assertValues(second, s.step(array(e[1], 1, 1, 2, 2), 961, x1), TOL, "plain PLMS 2nd");
        }
    }

    @Test
    void pndmLastStepUsesAlphaBarZeroAndKeepsDtype() {
        try (Scheduler s = sd15(StepCounting.PLAIN)) {
            s.setTimesteps(50);
            double[] e = output(0.2, 4);
            NDArray out = s.step(array(e, 1, 1, 2, 2), 1, array(X, 1, 1, 2, 2)); // first call: 1st order, prev -19
            assertValues(plmsPrev(X, 1, -19, e), out, TOL, "t=1 -> final alpha-bar");
            s.setTimesteps(50);
            NDArray half = s.step(array(e, 1, 1, 2, 2).toType(DataType.FLOAT16, false), 981,
                    array(X, 1, 1, 2, 2).toType(DataType.FLOAT16, false));
            assertEquals(DataType.FLOAT16, half.getDataType());
            assertValues(plmsPrev(X, 981, 961, e), half.toType(DataType.FLOAT32, false), 2e-3, "fp16 step");
        }
    }

    @Test
    void ddimEpsilonFirstAndLastStep() {
        double[] e = output(-0.3, 4);
        try (Scheduler s = SchedulerConfigs.create(SchedulerConfigs.builtIn(BuiltInScheduler.SD_INPAINTING).config(), StepCounting.BENCHMARK)) {
            s.setTimesteps(50);
            for (int[] tt : new int[][] {{981, 961}, {1, -19}}) {
                assertValues(ddimEpsilonPrev(X, e, tt[0], tt[1]), s.step(array(e, 1, 1, 2, 2), tt[0], array(X, 1, 1, 2, 2)), TOL,
                        "DDIM t=" + tt[0]);
            }
        }
    }

    /** DDIM's x0 from an epsilon prediction at t (SD alpha-bar). */
    static double[] ddimEpsilonX0(double[] x, double[] e, int t) {
        double a = SD_ALPHA_BAR[t];
        double[] x0 = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            x0[j] = (x[j] - Math.sqrt(1 - a) * e[j]) / Math.sqrt(a);
        }
        return x0;
    }

    /** DDIM (eta 0) from t to tp with an epsilon prediction; past the end alpha-bar(0) (set_alpha_to_one false). */
    static double[] ddimEpsilonPrev(double[] x, double[] e, int t, int tp) {
        double ap = tp >= 0 ? SD_ALPHA_BAR[tp] : SD_ALPHA_BAR[0];
        double[] x0 = ddimEpsilonX0(x, e, t);
        double[] expected = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            expected[j] = Math.sqrt(ap) * x0[j] + Math.sqrt(1 - ap) * e[j];
        }
        return expected;
    }

    @Test
    void ddimVPredictionOfTheUpscaler() {
        double[] alphaBar = HandFormulas.scaledLinearAlphaBar(0.0001, 0.02);
        double[] v = output(0.4, 4);
        try (Scheduler s = SchedulerConfigs.create(SchedulerConfigs.builtIn(BuiltInScheduler.X4_UPSCALER).config(), StepCounting.BENCHMARK)) {
            s.setTimesteps(75);
            double a = alphaBar[963];
            double ap = alphaBar[950];
            double[] expected = new double[4];
            for (int j = 0; j < 4; j++) {
                double x0 = Math.sqrt(a) * X[j] - Math.sqrt(1 - a) * v[j];
                double eps = Math.sqrt(a) * v[j] + Math.sqrt(1 - a) * X[j];
                expected[j] = Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * eps;
            }
            assertValues(expected, s.step(array(v, 1, 1, 2, 2), 963, array(X, 1, 1, 2, 2)), TOL, "DDIM v-prediction");
        }
    }

    @Test
    void eulerScaleStepAndAddNoise() {
        double[] e = output(0.15, 4);
        try (EulerDiscreteScheduler s = (EulerDiscreteScheduler) SchedulerConfigs.create(
                SchedulerConfigs.builtIn(BuiltInScheduler.SDXL).config(), StepCounting.BENCHMARK)) {
            s.setTimesteps(50);
            double s0 = sigma(981);
            double[] noised = new double[4];
            for (int j = 0; j < 4; j++) {
                noised[j] = X[j] + e[j] * s0;
            }
            NDArray x = array(X, 1, 1, 2, 2);
            assertValues(eulerScaled(X, s0), s.scaleModelInput(x, 981), TOL, "Euler scale_model_input");
            assertValues(eulerStep(X, e, s0, sigma(961)), s.step(array(e, 1, 1, 2, 2), 981, x), TOL, "Euler step 981");
            assertValues(noised, s.addNoise(x, array(e, 1, 1, 2, 2), 981), TOL, "Euler add_noise");
            double[] last = new double[4];
            for (int j = 0; j < 4; j++) {
                last[j] = X[j] + e[j] * (0 - sigma(1)); // x0 = x - sigma e, d = e
            }
            assertValues(last, s.step(array(e, 1, 1, 2, 2), 1, x), TOL, "Euler last step to sigma 0");
        }
    }

    /** Euler's UNet input x / sqrt(sigma^2 + 1). */
    static double[] eulerScaled(double[] x, double sigma) {
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = x[j] / Math.sqrt(sigma * sigma + 1);
        }
        return out;
    }

    /** Euler's x0 = x - sigma e (epsilon prediction). */
    static double[] eulerX0(double[] x, double[] e, double sigma) {
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = x[j] - sigma * e[j];
        }
        return out;
    }

    /** Euler from sigma s0 to s1: d = (x - x0) / s0, x' = x + d (s1 - s0). */
    static double[] eulerStep(double[] x, double[] e, double s0, double s1) {
        double[] x0 = eulerX0(x, e, s0);
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = x[j] + (x[j] - x0[j]) / s0 * (s1 - s0);
        }
        return out;
    }

    static double sigma(int t) {
        return Math.sqrt((1 - SD_ALPHA_BAR[t]) / SD_ALPHA_BAR[t]);
    }

    /** IF stage I: 6-channel output (eps, v), dynamic thresholding at 0.95 up to 1.5, learned_range. */
    /** IF stage I's test sample (1, 3, 2, 2): x, eps, v (the learned-range half) and the variance noise z. */
    static double[][] ddpmInputs() {
        int n = 12;
        double[][] in = new double[4][n];
        for (int j = 0; j < n; j++) {
            in[0][j] = 1.4 * Math.sin(j + 1);
            in[1][j] = 0.3 * Math.cos(2 * j);
            in[2][j] = -0.9 + 0.15 * j;
            in[3][j] = 0.3 - 0.05 * j;
        }
        return in;
    }

    @Test
    void ddpmLearnedRangeWithThresholding() {
        double[] alphaBar = HandFormulas.cosineAlphaBar();
        int n = 12; // (1, 3, 2, 2)
        double[][] in = ddpmInputs();
        double[] x = in[0];
        double[] eps = in[1];
        double[] v = in[2];
        double[] z = in[3];
        NoiseSource fixed = (m, shape, dtype) -> {
            assertEquals(new Shape(1, 3, 2, 2), shape);
            return array(z, 1, 3, 2, 2);
        };
        double[] modelOut = new double[2 * n];
        System.arraycopy(eps, 0, modelOut, 0, n);
        System.arraycopy(v, 0, modelOut, n, n);
        DdpmScheduler.Config config = (DdpmScheduler.Config) SchedulerConfigs.builtIn(BuiltInScheduler.IF_STAGE_I).config();
        try (DdpmScheduler s = new DdpmScheduler(config, fixed)) {
            s.setTimesteps(100);
            for (int[] tt : new int[][] {{500, 490, 0}, {990, 980, 1}}) {
                double[] expected = ddpmExpected(alphaBar[tt[0]], alphaBar[tt[1]], x, eps, v, z, 1.5);
                NDArray out = s.step(array(modelOut, 1, 6, 2, 2), tt[0], array(x, 1, 3, 2, 2));
                assertEquals(new Shape(1, 3, 2, 2), out.getShape());
                assertValues(expected, out, tt[2] == 0 ? TOL : 5e-4, "DDPM t=" + tt[0]);
            }
            // t = 0: no noise is added
            s.setTimesteps(100);
            double[] noNoise = ddpmExpected(alphaBar[0], 1.0, x, eps, v, new double[n], 1.5);
            assertValues(noNoise, s.step(array(modelOut, 1, 6, 2, 2), 0, array(x, 1, 3, 2, 2)), TOL, "DDPM t=0");
        }
    }

    /** DDPM's x0 from an epsilon prediction at alpha-bar a, dynamically thresholded (quantile 0.95, up to maxValue). */
    static double[] ddpmPredictedOriginal(double a, double[] x, double[] eps, double maxValue) {
        int n = x.length;
        double[] x0 = new double[n];
        double[] abs = new double[n];
        for (int j = 0; j < n; j++) {
            x0[j] = (x[j] - Math.sqrt(1 - a) * eps[j]) / Math.sqrt(a);
            abs[j] = Math.abs(x0[j]);
        }
        Arrays.sort(abs);
        double rank = 0.95 * (n - 1);
        int lo = (int) Math.floor(rank);
        double q = abs[lo] + (rank - lo) * (abs[lo + 1] - abs[lo]);
        double limit = Math.min(Math.max(q, 1), maxValue);
        double[] clipped = new double[n];
        for (int j = 0; j < n; j++) {
            clipped[j] = Math.max(-limit, Math.min(limit, x0[j])) / limit;
        }
        return clipped;
    }

    static double[] ddpmExpected(double a, double ap, double[] x, double[] eps, double[] v, double[] z, double maxValue) {
        int n = x.length;
        double alpha = a / ap;
        double beta = 1 - alpha;
        double[] x0 = ddpmPredictedOriginal(a, x, eps, maxValue);
        double variance = Math.max((1 - ap) / (1 - a) * beta, 1e-20);
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            double mean = Math.sqrt(ap) * beta / (1 - a) * x0[j] + Math.sqrt(alpha) * (1 - ap) / (1 - a) * x[j];
            double f = (v[j] + 1) / 2;
            double logVar = f * Math.log(beta) + (1 - f) * Math.log(variance);
            out[j] = mean + Math.exp(0.5 * logVar) * z[j];
        }
        return out;
    }

    @Test
    void addNoiseOfTheConditioningSchedulers() {
        double[] n = output(-0.5, 4);
        double[][] cases = {
            {HandFormulas.scaledLinearAlphaBar(0.0001, 0.02)[100], 100},  // x4 low_res_scheduler, noise level 100
            {HandFormulas.cosineAlphaBar()[250], 250},                      // IF II image noising, noise level 250
            {SD_ALPHA_BAR[801], 801},                                       // img2img at strength 0.8
        };
        BuiltInScheduler[] which = {BuiltInScheduler.X4_UPSCALER_LOW_RES, BuiltInScheduler.IF_STAGE_II_IMAGE_NOISING, BuiltInScheduler.SD15};
        for (int i = 0; i < cases.length; i++) {
            double a = cases[i][0];
            double[] expected = new double[4];
            for (int j = 0; j < 4; j++) {
                expected[j] = Math.sqrt(a) * X[j] + Math.sqrt(1 - a) * n[j];
            }
            try (Scheduler s = SchedulerConfigs.create(SchedulerConfigs.builtIn(which[i]).config(), StepCounting.BENCHMARK)) {
                assertValues(expected, s.addNoise(array(X, 1, 1, 2, 2), array(n, 1, 1, 2, 2), cases[i][1]), TOL, "add_noise " + which[i]);
            }
        }
    }

    @Test
    void classifierFreeGuidance() {
        double[] pred = {0.1, 0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8}; // uncond (1,1,2,2) then cond
        try (ClassifierFreeGuidance g = new ClassifierFreeGuidance(7.5)) {
            double[] expected = new double[4];
            for (int j = 0; j < 4; j++) {
                expected[j] = pred[j] + 7.5 * (pred[4 + j] - pred[j]);
            }
            assertValues(expected, g.apply(array(pred, 2, 1, 2, 2)), TOL, "uncond + 7.5 (cond - uncond)");
            // IF: (2, 2, 1, 2): channel 0 noise, channel 1 variance; variance from the text half
            NDArray guided = g.applyWithLearnedVariance(array(pred, 2, 2, 1, 2), 1);
            assertEquals(new Shape(1, 2, 1, 2), guided.getShape());
            assertValues(new double[] {0.1 + 7.5 * (-0.5 - 0.1), 0.2 + 7.5 * (0.6 - 0.2), 0.7, -0.8}, guided, TOL, "IF guidance");
            assertEquals(0, g.liveHostArrays());
        }
    }

    private static Scheduler sd15(StepCounting counting) {
        return SchedulerConfigs.create(SchedulerConfigs.builtIn(BuiltInScheduler.SD15).config(), counting);
    }

    @Test
    void unknownAndUnsupportedKeys() {
        SchedulerConfigs.Parsed sd = SchedulerConfigs.builtIn(BuiltInScheduler.SD15);
        assertEquals(List.of("clip_sample"), sd.unknownKeys(), "PNDM has no clip_sample: reported, as diffusers warns");
        assertEquals(List.of("lambda_min_clipped"), SchedulerConfigs.builtIn(BuiltInScheduler.IF_STAGE_I).unknownKeys());
        assertTrue(SchedulerConfigs.builtIn(BuiltInScheduler.SD_INPAINTING).unknownKeys().isEmpty());
        IllegalArgumentException karras = assertThrows(IllegalArgumentException.class,
                () -> SchedulerConfigs.parse("{\"_class_name\": \"EulerDiscreteScheduler\", \"use_karras_sigmas\": true}", "cfg.json"));
        assertTrue(karras.getMessage().contains("use_karras_sigmas"), karras.getMessage());
        IllegalArgumentException prk = assertThrows(IllegalArgumentException.class,
                () -> SchedulerConfigs.parse("{\"_class_name\": \"PNDMScheduler\"}", "cfg.json"));
        assertTrue(prk.getMessage().contains("skip_prk_steps"), prk.getMessage());
        IllegalArgumentException cls = assertThrows(IllegalArgumentException.class,
                () -> SchedulerConfigs.parse("{\"_class_name\": \"LMSDiscreteScheduler\"}", "cfg.json"));
        assertTrue(cls.getMessage().contains("LMSDiscreteScheduler"), cls.getMessage());
        IllegalArgumentException beta = assertThrows(IllegalArgumentException.class,
                () -> SchedulerConfigs.parse("{\"_class_name\": \"DDIMScheduler\", \"beta_schedule\": \"sigmoid\"}", "cfg.json"));
        assertTrue(beta.getMessage().contains("beta_schedule") && beta.getMessage().contains("sigmoid"), beta.getMessage());
    }
}
