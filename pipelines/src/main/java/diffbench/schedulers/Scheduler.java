package diffbench.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * A diffusion sampler as diffusers' pipelines drive it. One denoising loop:
 * <pre>
 * scheduler.setTimesteps(steps);                       // clears any state of a previous loop
 * latents = noise * scheduler.initNoiseSigma();
 * for (double t : scheduler.timesteps()) {             // one UNet call per entry
 *     in  = scheduler.scaleModelInput(cat(latents, latents), t);
 *     eps = guidance(unet(in, t));
 *     latents = scheduler.step(eps, t, latents);
 * }
 * </pre>
 *
 * <p>Array ownership (no method leaks, none takes ownership):
 * <ul>
 * <li>{@link #step} and {@link #addNoise} return a new array attached to the manager that the
 * {@code sample}/{@code original} argument has at call time; the caller owns it and still owns (and
 * must close) the arguments. Every temporary is closed before the call returns.</li>
 * <li>{@link #scaleModelInput} returns {@code sample} itself where the scheduler does not scale
 * (PNDM, DDIM, DDPM) and a new array otherwise: close the result only if it is not the argument.</li>
 * <li>State a multistep scheduler must remember (PNDM's past model outputs) is a copy held in the
 * scheduler's own manager, replaced as it ages out, freed by {@link #setTimesteps} and {@link #close}.</li>
 * </ul>
 * So a loop may run each step inside {@code try (NDManager step = base.newSubManager())} with
 * {@code latents.tempAttach(step)} and {@code next.attach(base)}, or close old arrays by hand.
 *
 * <p>Arithmetic: coefficients come from the fp32 tables diffusers keeps ({@link NoiseSchedule}),
 * combined in Java double and passed to libtorch as 0-d CPU double tensors, which libtorch reads as
 * kernel arguments on any device (no host-to-device copy, no synchronisation) and applies in the
 * op's compute type (fp32 for fp32 and, on CUDA, for fp16/bf16 arrays, as diffusers' fp32 0-d
 * coefficient tensors are). Array results keep the arrays' dtype, except where a scheduler says.
 * The arrays stay on their device.
 */
public interface Scheduler extends AutoCloseable {

    /** diffusers' class name, e.g. {@code PNDMScheduler}. */
    String className();

    /** Sets the schedule for {@code numInferenceSteps} and clears any multistep state. */
    void setTimesteps(int numInferenceSteps);

    /** The value passed to the last {@link #setTimesteps}. */
    int numInferenceSteps();

    /** Timesteps in call order, one UNet evaluation each (a copy). PNDM: N + 1 entries. */
    double[] timesteps();

    /** diffusers' {@code scheduler.order}, the stride of {@code timesteps[t_start * order:]} (1 for all four). */
    default int order() {
        return 1;
    }

    /** Standard deviation of the initial noise (1 except Euler); valid after {@link #setTimesteps}. */
    double initNoiseSigma();

    /** The UNet input at timestep t ({@code sample} itself where the scheduler does not scale). */
    NDArray scaleModelInput(NDArray sample, double timestep);

    /** One denoising step from timestep t: returns the sample at the previous timestep. */
    default NDArray step(NDArray modelOutput, double timestep, NDArray sample) {
        StepOutput out = stepWithPrediction(modelOutput, timestep, sample);
        if (out.predOriginalSample() != null) {
            out.predOriginalSample().close();
        }
        return out.prevSample();
    }

    /**
     * The same step as diffusers' {@code step} returns it: the sample at the previous timestep and
     * the predicted clean sample where the scheduler computes one (for comparing with diffusers step
     * by step; the pipelines call {@link #step}).
     */
    StepOutput stepWithPrediction(NDArray modelOutput, double timestep, NDArray sample);

    /** Forward diffusion of a clean sample to timestep t (img2img, inpainting, upscaler conditioning). */
    NDArray addNoise(NDArray original, NDArray noise, double timestep);

    /** Frees the scheduler's own arrays (state, host scalars). */
    @Override
    void close();
}
