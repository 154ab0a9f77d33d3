package diffbench.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code cuda-graph} mode's denoiser calls ({@link CudaGraphMode}): the first call of each signature (network, method,
 * input shapes and dtypes) is captured into a CUDA graph after warm-up calls on the capture stream;
 * every call then copies its inputs into the graph's static inputs and replays it, so a step costs
 * a few copies and one graph launch instead of one launch per kernel (torch.compile's
 * reduce-overhead does the same). Outputs are copied out of the static buffers (in the network's
 * dtype), which the next replay rewrites. A call that cannot be captured fails the cell; it never
 * falls back silently.
 */
final class DenoiserGraphs implements DenoiserCalls {
    /**
     * Calls before capture: the optimising executor needs its profiled runs + 1 (2 by default) to
     * build and run its plan; one more lets cuDNN's autotune settle on the capture stream too.
     */
    static final int WARMUPS = 3;

    private final NDManager statics;
    private final Map<Signature, CudaGraph> graphs = new HashMap<>();

    private record Signature(Network network, String method, List<String> inputs) {
    }

    DenoiserGraphs(NDManager parent) {
        this.statics = parent.newSubManager();
    }

    /**
     * {@code network.method(inputs)} through its graph; outputs, in the network's dtype, belong to the
     * first input's manager. A trailing input named {@code module_method:NAME} selects the method, as
     * with DJL's forward.
     */
    @Override
    public NDList forward(Network network, NDList inputs) {
        MethodCall methodCall = MethodCall.of(inputs);
        String method = methodCall.method();
        NDList tensors = methodCall.tensors();
        for (NDArray a : tensors) {
            if (a.getName() != null && a.getName().endsWith("[]")) {
                throw new UnsupportedOperationException("cuda-graph mode captures tensor arguments only, not the list '"
                        + a.getName() + "'; pass each tensor as its own argument (as forward_with_control_args does)");
            }
        }
        Signature key = new Signature(network, method, tensors.stream()
                .map(a -> a.getDataType() + Arrays.toString(a.getShape().getShape())).toList());
        CudaGraph graph = graphs.get(key);
        if (graph == null) {
            NDList staticInputs = new NDList(tensors.size());
            for (NDArray a : tensors) {
                NDArray copy = a.duplicate();
                copy.attach(statics);
                staticInputs.add(copy);
            }
            graph = CudaGraph.capture(network.block(), method, staticInputs, WARMUPS, statics);
            graphs.put(key, graph);
        } else {
            graph.setInputs(tensors);
        }
        NDManager caller = tensors.get(0).getManager();
        NDList out = new NDList();
        for (NDArray o : graph.replay()) {
            NDArray copy = o.duplicate();
            copy.attach(caller);
            out.add(copy);
        }
        return out;
    }

    @Override
    public void close() {
        graphs.values().forEach(CudaGraph::close);
        graphs.clear();
        statics.close();
    }
}
