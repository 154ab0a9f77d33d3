package diffbench.schedulers;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Timestep lists of the built-in configs against the lists written out from diffusers' rules. */
class TimestepScheduleTest {

    private static Scheduler builtIn(BuiltInScheduler which, StepCounting counting) {
        return SchedulerConfigs.create(SchedulerConfigs.builtIn(which).config(), counting);
    }

    /** from, from - step, ..., n entries */
    private static double[] countDown(int from, int step, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = from - (double) step * i;
        }
        return out;
    }

    @Test
    void pndmBenchmarkSchedulePlaysTheSecondTimestepTwice() {
        Scheduler s = builtIn(BuiltInScheduler.SD15, StepCounting.BENCHMARK);
        s.setTimesteps(50);
        double[] t = s.timesteps();
        assertEquals(51, t.length, "50 steps -> 51 UNet calls");
        double[] expected = new double[51];
        expected[0] = 981;
        expected[1] = 961;
        for (int i = 2; i < 51; i++) {
            expected[i] = 981 - 20.0 * (i - 1); // 961, 941, ..., 1
        }
        assertArrayEquals(expected, t);
        assertEquals(961, t[2]);
        assertEquals(941, t[3]);
        assertEquals(1, t[50]);
    }

    @Test
    void pndmPlainScheduleIsOneCallPerStep() {
        Scheduler s = builtIn(BuiltInScheduler.SD15, StepCounting.PLAIN);
        s.setTimesteps(50);
        assertArrayEquals(countDown(981, 20, 50), s.timesteps());
    }

    @Test
    void img2imgStrengthSlicesTheSchedule() {
        Scheduler bench = builtIn(BuiltInScheduler.SD15, StepCounting.BENCHMARK);
        bench.setTimesteps(50);
        DenoisingSchedule b = DenoisingSchedule.forStrength(bench, 0.8);
        assertEquals(41, b.unetCalls());
        assertEquals(40, b.progressBarSteps());
        assertEquals(801, b.firstTimestep());
        assertArrayEquals(countDown(801, 20, 41), b.timesteps());

        Scheduler plain = builtIn(BuiltInScheduler.SD15, StepCounting.PLAIN);
        plain.setTimesteps(50);
        DenoisingSchedule p = DenoisingSchedule.forStrength(plain, 0.8);
        assertEquals(40, p.unetCalls());
        assertEquals(781, p.firstTimestep());

        DenoisingSchedule full = DenoisingSchedule.forStrength(bench, 1.0);
        assertEquals(51, full.unetCalls());
        assertEquals(50, full.progressBarSteps());
        assertThrows(IllegalArgumentException.class, () -> DenoisingSchedule.forStrength(bench, 0));
    }

    @Test
    void ddimSchedulesOfInpaintingAndUpscaler() {
        Scheduler inpaint = builtIn(BuiltInScheduler.SD_INPAINTING, StepCounting.BENCHMARK);
        inpaint.setTimesteps(50);
        assertArrayEquals(countDown(981, 20, 50), inpaint.timesteps());
        Scheduler x4 = builtIn(BuiltInScheduler.X4_UPSCALER, StepCounting.BENCHMARK);
        x4.setTimesteps(75); // 1000 // 75 = 13: [963, 950, ..., 14, 1]
        assertArrayEquals(countDown(963, 13, 75), x4.timesteps());
    }

    @Test
    void ddpmSchedulesOfIf() {
        Scheduler s = builtIn(BuiltInScheduler.IF_STAGE_I, StepCounting.BENCHMARK);
        s.setTimesteps(100);
        assertArrayEquals(countDown(990, 10, 100), s.timesteps());
        s.setTimesteps(50);
        assertArrayEquals(countDown(980, 20, 50), s.timesteps());
    }

    @Test
    void eulerLeadingSigmasAndInitNoiseSigma() {
        EulerDiscreteScheduler s = (EulerDiscreteScheduler) builtIn(BuiltInScheduler.SDXL, StepCounting.BENCHMARK);
        s.setTimesteps(50);
        assertArrayEquals(countDown(981, 20, 50), s.timesteps());
        double[] sigma = s.sigmas();
        assertEquals(51, sigma.length);
        double[] a = HandFormulas.SD_ALPHA_BAR;
        int[] at = {0, 1, 48, 49};
        for (int i : at) {
            int t = 981 - 20 * i;
            // fp32 alpha-bar near 1 leaves 1 - a with ~3e-6 relative error, in diffusers too
            assertEquals(Math.sqrt((1 - a[t]) / a[t]), sigma[i], 1e-5 * sigma[i], "sigma(" + t + ")");
        }
        // SDXL's sigmas as docs/architectures.md §5 lists them
        assertEquals(13.1204, sigma[0], 1e-4);
        assertEquals(11.6761, sigma[1], 1e-4);
        assertEquals(0.14146, sigma[48], 1e-5);
        assertEquals(0.04131, sigma[49], 1e-5);
        assertEquals(0.0, sigma[50]);
        assertEquals(Math.sqrt(sigma[0] * sigma[0] + 1), s.initNoiseSigma(), 1e-6);
        assertEquals(13.15847, s.initNoiseSigma(), 1e-5);
    }

    @Test
    void otherSpacings() {
        String ddim = "{\"_class_name\": \"DDIMScheduler\", \"timestep_spacing\": \"%s\"}";
        Scheduler trailing = SchedulerConfigs.create(SchedulerConfigs.parse(String.format(ddim, "trailing"), "t").config(), StepCounting.PLAIN);
        trailing.setTimesteps(50);
        assertArrayEquals(countDown(999, 20, 50), trailing.timesteps());
        Scheduler linspace = SchedulerConfigs.create(SchedulerConfigs.parse(String.format(ddim, "linspace"), "l").config(), StepCounting.PLAIN);
        linspace.setTimesteps(4); // linspace(0, 999, 4) = 0, 333, 666, 999
        assertArrayEquals(new double[] {999, 666, 333, 0}, linspace.timesteps());
        EulerDiscreteScheduler euler = (EulerDiscreteScheduler) SchedulerConfigs.create(
                SchedulerConfigs.parse("{\"_class_name\": \"EulerDiscreteScheduler\"}", "e").config(), StepCounting.PLAIN);
        euler.setTimesteps(3); // default linspace, unrounded: 999, 499.5, 0
        assertArrayEquals(new double[] {999, 499.5, 0}, euler.timesteps());
        double[] sig = euler.sigmas();
        assertEquals(sig[0], euler.initNoiseSigma(), 0, "linspace: init sigma is sigma_max");
    }

    @Test
    void noiseTableAnchors() {
        NoiseSchedule sd = ((PndmScheduler) builtIn(BuiltInScheduler.SD15, StepCounting.BENCHMARK)).noiseSchedule();
        assertEquals(0.99914998, sd.alphaCumprod(0), 1e-8);
        assertEquals(0.00466010, sd.alphaCumprod(999), 1e-8);
        for (int t : new int[] {1, 250, 500, 801, 999}) {
            assertEquals(HandFormulas.SD_ALPHA_BAR[t], sd.alphaCumprod(t), 2e-6 * HandFormulas.SD_ALPHA_BAR[t], "sd alpha-bar " + t);
        }
        NoiseSchedule cos = ((DdpmScheduler) builtIn(BuiltInScheduler.IF_STAGE_I, StepCounting.BENCHMARK)).noiseSchedule();
        assertEquals(0.99995869, cos.alphaCumprod(0), 1e-8);
        assertEquals(2.4287e-9, cos.alphaCumprod(999), 1e-12);
        assertEquals(0.84589, cos.alphaCumprod(250), 1e-5);
        NoiseSchedule x4 = ((DdpmScheduler) builtIn(BuiltInScheduler.X4_UPSCALER_LOW_RES, StepCounting.BENCHMARK)).noiseSchedule();
        assertEquals(0.97118, x4.alphaCumprod(100), 1e-5);
        assertEquals(0.99730, x4.alphaCumprod(20), 1e-5);
    }

    @Test
    void badStepCounts() {
        Scheduler s = builtIn(BuiltInScheduler.SD_INPAINTING, StepCounting.BENCHMARK);
        assertThrows(IllegalArgumentException.class, () -> s.setTimesteps(0));
        assertThrows(IllegalArgumentException.class, () -> s.setTimesteps(1001));
    }
}
