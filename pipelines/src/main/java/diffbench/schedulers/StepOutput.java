package diffbench.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * What diffusers' {@code step} returns: {@code prev_sample} and, where the scheduler computes it
 * (DDIM, Euler, DDPM; not PNDM), {@code pred_original_sample} (after any clipping or thresholding),
 * else null. Both arrays belong to the manager of the step's {@code sample}; the caller closes them.
 */
public record StepOutput(NDArray prevSample, NDArray predOriginalSample) {
}
