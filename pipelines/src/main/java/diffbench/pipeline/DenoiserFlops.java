package diffbench.pipeline;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import diffbench.models.unet.UNetBase;
import diffbench.runtime.Network;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Counts the FLOPs of the denoiser calls of a loop (UNet, ControlNet) from each network's
 * architecture and the shapes it is called with: {@code sample} first and
 * {@code encoder_hidden_states} third, as every UNet and ControlNet forward takes them. Counted
 * per shape once, so a step costs a map look-up.
 */
final class DenoiserFlops {
    private final Function<Network, Optional<UNetBase>> architectures;
    private final Map<List<Object>, Long> perCall = new HashMap<>();
    private long sinceReset;

    /** @param architectures the architecture a network was loaded from (empty for other networks) */
    DenoiserFlops(Function<Network, Optional<UNetBase>> architectures) {
        this.architectures = architectures;
    }

    /** Adds one call of {@code network} on {@code inputs}. */
    void count(Network network, NDList inputs) {
        Shape sample = inputs.get(0).getShape();
        long tokens = inputs.size() > 2 && inputs.get(2).getShape().dimension() >= 2 ? inputs.get(2).getShape().get(1) : 0;
        sinceReset += perCall.computeIfAbsent(List.of(network, sample, tokens),
                k -> architectures.apply(network).map(a -> a.flops(sample.getShape(), tokens)).orElse(0L));
    }

    /** FLOPs counted since the last call (the loop's, when called at the loop's start and end). */
    long takeCount() {
        long n = sinceReset;
        sinceReset = 0;
        return n;
    }
}
