package diffbench.schedulers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import diffbench.runtime.Engines;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 500-step loops (guidance + scale + step, random model outputs) keep the number of live NDArrays
 * flat: nothing accumulates in the caller's manager, in the scheduler's host scalars, or in its
 * state (PNDM: at most 4 outputs + the warm-up sample).
 */
class SchedulerMemoryTest {
    static final int STEPS = 500;

    @Test
    void explicitCloseLoopsStayFlat() {
        Engines.pytorch();
        for (BuiltInScheduler which : new BuiltInScheduler[] {BuiltInScheduler.SD15, BuiltInScheduler.SD_INPAINTING,
                BuiltInScheduler.SDXL, BuiltInScheduler.IF_STAGE_I}) {
            try (NDManager base = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                 Scheduler s = SchedulerConfigs.create(SchedulerConfigs.builtIn(which).config(), StepCounting.BENCHMARK);
                 ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(7.5)) {
                boolean learned = which == BuiltInScheduler.IF_STAGE_I;
                s.setTimesteps(STEPS);
                NDArray latents = base.randomNormal(0f, (float) s.initNoiseSigma(), new Shape(1, learned ? 3 : 4, 8, 8), DataType.FLOAT32);
                int before = base.getManagedArrays().size();
                int after10 = -1;
                double[] t = s.timesteps();
                for (int i = 0; i < t.length; i++) {
                    NDArray doubled = NDArrays.concat(new NDList(latents, latents));
                    NDArray in = s.scaleModelInput(doubled, t[i]);
                    NDArray unetOut = base.randomNormal(0f, 0.1f, new Shape(2, learned ? 6 : 4, 8, 8), DataType.FLOAT32); // the UNet's place
                    NDArray eps = learned ? guidance.applyWithLearnedVariance(unetOut, 3) : guidance.apply(unetOut);
                    NDArray next = s.step(eps, t[i], latents);
                    for (NDArray a : new NDArray[] {doubled, in, unetOut, eps, latents}) {
                        if (!a.isReleased()) {
                            a.close();
                        }
                    }
                    latents = next;
                    if (i == 10) {
                        after10 = base.getManagedArrays().size();
                    }
                }
                assertEquals(before, base.getManagedArrays().size(), which + ": arrays left in the caller's manager");
                assertEquals(before, after10, which + ": arrays after 10 steps");
                assertEquals(0, hostArrays(s), which + ": host scalars left");
                assertEquals(0, guidance.liveHostArrays());
                assertTrue(Float.isFinite(latents.abs().max().getFloat()), which + ": finite result");
                if (s instanceof PndmScheduler p) {
                    assertEquals(4, p.heldArrays(), "PNDM holds its last 4 outputs");
                    assertEquals(t.length, STEPS + 1);
                }
            }
        }
    }

    /** The sub-manager idiom the Scheduler javadoc describes. */
    @Test
    void subManagerPerStepStaysFlat() {
        Engines.pytorch();
        try (NDManager base = NDManager.newBaseManager(Device.cpu(), "PyTorch");
             PndmScheduler s = (PndmScheduler) SchedulerConfigs.create(
                     SchedulerConfigs.builtIn(BuiltInScheduler.SD15).config(), StepCounting.BENCHMARK);
             ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(7.5)) {
            s.setTimesteps(STEPS);
            NDArray latents = base.randomNormal(new Shape(1, 4, 8, 8));
            int before = base.getManagedArrays().size();
            for (double t : s.timesteps()) {
                try (NDManager step = base.newSubManager()) {
                    latents.tempAttach(step);
                    NDArray unetOut = step.randomNormal(new Shape(2, 4, 8, 8));
                    NDArray next = s.step(guidance.apply(unetOut), t, s.scaleModelInput(latents, t));
                    next.attach(base);
                    latents.close();
                    latents = next;
                }
            }
            assertEquals(before, base.getManagedArrays().size());
            assertTrue(s.heldArrays() <= 5);
            assertEquals(0, s.liveHostArrays());
        }
    }

    static int hostArrays(Scheduler s) {
        if (s instanceof PndmScheduler p) {
            return p.liveHostArrays();
        }
        if (s instanceof DdimScheduler d) {
            return d.liveHostArrays();
        }
        if (s instanceof EulerDiscreteScheduler e) {
            return e.liveHostArrays();
        }
        return ((DdpmScheduler) s).liveHostArrays();
    }
}
