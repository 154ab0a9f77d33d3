package diffbench.schedulers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import diffbench.runtime.Engines;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Java-side time per denoising step without the networks, at the SD 1.5 shape: the latents doubled
 * for CFG, scale_model_input, uncond + 7.5 (cond - uncond) on (2B, 4, 64, 64) fp32, and the
 * scheduler step. {@code main} prints it for any device ({@code cpu} or {@code gpu}, batch);
 * the test runs it briefly on CPU. On the GPU the ops are only launched, so the figure there is
 * launch overhead (the target is 0.3 ms); on CPU it includes the arithmetic itself.
 */
class StepOverheadTiming {

    /** Mean milliseconds per step (after warm-up); prints one line per scheduler. */
    static double[] measure(Device device, int batch, int steps) {
        Engines.pytorch();
        BuiltInScheduler[] kinds = {BuiltInScheduler.SD15, BuiltInScheduler.SD_INPAINTING, BuiltInScheduler.SDXL};
        double[] ms = new double[kinds.length];
        for (int k = 0; k < kinds.length; k++) {
            try (NDManager base = NDManager.newBaseManager(device, "PyTorch");
                 Scheduler s = SchedulerConfigs.create(SchedulerConfigs.builtIn(kinds[k]).config(), StepCounting.BENCHMARK);
                 ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(7.5)) {
                s.setTimesteps(steps);
                double[] t = s.timesteps();
                NDArray latents = base.randomNormal(new Shape(batch, 4, 64, 64));
                NDArray unetOut = base.randomNormal(new Shape(2L * batch, 4, 64, 64)); // reused: networks excluded
                long guidanceAndStep = 0;
                long start = 0;
                int warmUp = Math.min(10, t.length / 2);
                for (int i = 0; i < t.length; i++) {
                    if (i == warmUp) {
                        sync(latents);
                        start = System.nanoTime();
                    }
                    NDArray doubled = NDArrays.concat(new NDList(latents, latents));
                    NDArray in = s.scaleModelInput(doubled, t[i]);
                    long g0 = System.nanoTime();
                    NDArray eps = guidance.apply(unetOut);
                    NDArray next = s.step(eps, t[i], latents);
                    guidanceAndStep += i >= warmUp ? System.nanoTime() - g0 : 0;
                    if (in != doubled) {
                        in.close();
                    }
                    doubled.close();
                    eps.close();
                    latents.close();
                    latents = next;
                }
                sync(latents);
                int measured = t.length - warmUp;
                ms[k] = (System.nanoTime() - start) / 1e6 / measured;
                System.out.printf(Locale.ROOT, "step overhead %-22s %s batch %d: %.3f ms/step (guidance + step %.3f ms), %d steps%n",
                        s.className(), device, batch, ms[k], guidanceAndStep / 1e6 / measured, measured);
            }
        }
        return ms;
    }

    /** Waits for queued device work by reading one value back. */
    private static void sync(NDArray a) {
        a.get(0, 0, 0, 0).getFloat();
    }

    @Test
    void cpuStepOverheadIsSmall() {
        for (double ms : measure(Device.cpu(), 1, 60)) {
            assertTrue(ms > 0 && ms < 20, "Java-side step overhead " + ms + " ms on CPU");
        }
    }

    /** args: [cpu|gpu] [batch] [steps] */
    public static void main(String[] args) {
        Device device = args.length > 0 && args[0].equals("gpu") ? Device.gpu() : Device.cpu();
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        measure(device, batch, steps);
    }
}
