package diffbench.schedulers;

import java.util.Arrays;

/**
 * The timesteps one pipeline call evaluates the UNet at, and how diffusers' progress bar counts
 * them. txt2img uses the whole schedule; img2img with strength s keeps
 * {@code timesteps[t_start * order:]}, t_start = N - min(int(N s), N) (diffusers' get_timesteps).
 *
 * @param timesteps one UNet evaluation each, in order (their count is the UNet calls per image)
 * @param progressBarSteps the progress bar's total: N for txt2img (PNDM: 51 calls, 50 updates),
 *     N - t_start for img2img
 */
public record DenoisingSchedule(double[] timesteps, int progressBarSteps) {

    /** The full schedule of a scheduler on which {@code setTimesteps(n)} was called. */
    public static DenoisingSchedule full(Scheduler scheduler) {
        return new DenoisingSchedule(scheduler.timesteps(), scheduler.numInferenceSteps());
    }

    /**
     * img2img: SD 1.5 PNDM, N 50, strength 0.8 gives 41 timesteps from 801 (progress bar 40) with
     * {@link StepCounting#BENCHMARK}, 40 from 781 with {@link StepCounting#PLAIN}.
     */
    public static DenoisingSchedule forStrength(Scheduler scheduler, double strength) {
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in (0, 1], got " + strength);
        }
        int n = scheduler.numInferenceSteps();
        int initTimestep = Math.min((int) (n * strength), n);
        int tStart = Math.max(n - initTimestep, 0);
        double[] all = scheduler.timesteps();
        return new DenoisingSchedule(Arrays.copyOfRange(all, tStart * scheduler.order(), all.length), n - tStart);
    }

    public int unetCalls() {
        return timesteps.length;
    }

    /** The timestep img2img noises the encoded image to (diffusers' latent_timestep). */
    public double firstTimestep() {
        return timesteps[0];
    }
}
