package diffbench.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * How an engine mode runs a pipeline's denoiser calls (the UNet and ControlNet of each step): as
 * the TorchScript call itself, replayed from a CUDA graph, or through a compiled package. One per
 * pipeline session; closing it frees what it built (graphs, packages).
 */
public interface DenoiserCalls extends AutoCloseable {

    /** The calls as they are ({@link Network#forward}): eager and ts-profiling; holds nothing to close. */
    DenoiserCalls PLAIN = new DenoiserCalls() {
        @Override
        public NDList forward(Network network, NDList inputs) {
            return network.forward(inputs);
        }

        @Override
        public void close() {
        }
    };

    /**
     * {@code network.forward(inputs)} the mode's way; outputs in the network's dtype, owned by the
     * first input's manager. A trailing input named {@code module_method:NAME} selects the method.
     */
    NDList forward(Network network, NDList inputs);

    /**
     * A call's method and tensor arguments, read as DJL's forward reads them: a trailing input named
     * {@code module_method:NAME} selects the method, {@code forward} otherwise.
     */
    record MethodCall(String method, NDList tensors) {
        private static final String PREFIX = "module_method:";

        static MethodCall of(NDList inputs) {
            NDArray last = inputs.get(inputs.size() - 1);
            if (last.getName() != null && last.getName().startsWith(PREFIX)) {
                return new MethodCall(last.getName().substring(PREFIX.length()), new NDList(inputs.subList(0, inputs.size() - 1)));
            }
            return new MethodCall("forward", inputs);
        }
    }

    /** What compiling cost this session so far ({@link CompileRecord#NONE} for modes that compile nothing). */
    default CompileRecord compileRecord() {
        return CompileRecord.NONE;
    }

    @Override
    void close();
}
