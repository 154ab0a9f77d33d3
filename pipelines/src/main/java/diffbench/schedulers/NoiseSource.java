package diffbench.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Where the stochastic schedulers (DDPM, DDIM with eta > 0) draw their per-step Gaussian noise. */
@FunctionalInterface
public interface NoiseSource {

    /** Standard normal noise of the shape and dtype, created by {@code manager} on its device. */
    NDArray normal(NDManager manager, Shape shape, DataType dtype);

    /** libtorch's generator on the device (seed it with the engine's random seed). */
    NoiseSource ENGINE = (manager, shape, dtype) -> manager.randomNormal(0f, 1f, shape, dtype);
}
