package diffbench.pipeline;

import ai.djl.ndarray.NDArray;
import diffbench.runtime.DeviceSync;
import diffbench.runtime.MemoryProbe;

import java.util.ArrayList;
import java.util.List;

/**
 * Times one pipeline call the way diffusers' progress bar does: each denoising loop from its first
 * UNet call to its last step, with the device synchronised at both ends; the whole call likewise.
 * Everything outside the loops (text encoding, VAE, image preparation) is the remainder.
 */
public final class CallClock {
    private final long callStart = System.nanoTime();
    private final List<CallResult.StageTiming> stages = new ArrayList<>();
    private long loopStart;
    private String stage;

    /** Marks the start of a denoising loop; {@code ready} is an input whose producers must finish first. */
    public void startLoop(String stageName, NDArray ready) {
        DeviceSync.await(ready);
        stage = stageName;
        loopStart = System.nanoTime();
    }

    /** Marks the end of the loop begun last; {@code result} is its final latent. */
    public void endLoop(NDArray result, int iterations, int unetCalls, long denoiserFlops) {
        DeviceSync.await(result);
        stages.add(new CallResult.StageTiming(stage, iterations, unetCalls, (System.nanoTime() - loopStart) / 1e9,
                denoiserFlops));
    }

    /**
     * The call's result; {@code output} is its last product (synchronised before the clock stops),
     * {@code memory} the probe reset at the call's start.
     */
    public CallResult finish(NDArray output, MemoryProbe memory) {
        DeviceSync.await(output);
        double seconds = (System.nanoTime() - callStart) / 1e9;
        double loops = stages.stream().mapToDouble(CallResult.StageTiming::loopSeconds).sum();
        return new CallResult(List.copyOf(stages), seconds, seconds - loops, memory.peakBytes(), memory.peakReservedBytes());
    }
}
