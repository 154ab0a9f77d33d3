package diffbench.pipeline;

import java.util.List;

/**
 * What one pipeline call measured.
 *
 * @param stages one entry per denoising loop (one for most pipelines, three for the IF cascade)
 * @param seconds wall time of the whole call, GPU-synchronised at both ends
 * @param outsideLoopSeconds time spent outside the denoising loops (text encoding, VAE, extras)
 * @param peakMemoryBytes peak device memory during the call, or -1 where the runtime cannot tell
 * @param peakReservedBytes peak memory the caching allocator reserved during the call, or -1 where unknown
 */
public record CallResult(List<StageTiming> stages, double seconds, double outsideLoopSeconds, long peakMemoryBytes,
        long peakReservedBytes) {

    /**
     * One denoising loop: iterations as diffusers' progress bar counts them (UNet [+ ControlNet] +
     * scheduler step, classifier-free guidance inside), timed GPU-synchronised at loop start and end.
     *
     * @param stage empty for single-stage pipelines; `I`, `II`, `III` for the IF cascade
     * @param iterations the progress bar's count, which it/s divides by (PNDM 50 steps: 50)
     * @param unetCalls UNet evaluations in the loop (PNDM 50 steps as the benchmark counts: 51)
     * @param denoiserFlops FLOPs of every denoiser call of the loop (UNet [+ ControlNet], all rows of
     *                      the batch, guidance included), counted from the architectures and input shapes
     */
    public record StageTiming(String stage, int iterations, int unetCalls, double loopSeconds, long denoiserFlops) {
        public double iterationsPerSecond() {
            return iterations / loopSeconds;
        }

        /** The denoiser's achieved compute rate in the loop, TFLOP/s. */
        public double denoiserTflops() {
            return denoiserFlops / loopSeconds / 1e12;
        }
    }
}
