package diffbench.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import diffbench.schema.DeviceKind;
import diffbench.schema.Mode;
import diffbench.torchscript.ModuleNode;

import java.util.function.Function;

/**
 * The {@code cuda-graph} mode: ts-profiling's settings, and every denoiser call captured once into
 * a CUDA graph and replayed ({@link DenoiserGraphs}); it needs a CUDA GPU and diffbench's own JNI.
 */
final class CudaGraphMode implements EngineMode {

    @Override
    public Mode mode() {
        return Mode.cudaGraph;
    }

    @Override
    public boolean optimizesGraphs() {
        return true;
    }

    @Override
    public String deviceProblem(DeviceKind device) {
        return device != DeviceKind.gpu ? "it needs a CUDA GPU (this cell runs on " + device + ")" : null;
    }

    /** Null when it can run: a CUDA device and diffbench's JNI on a CUDA libtorch. */
    @Override
    public String unsupportedReason(Device device) {
        if (!device.isGpu()) {
            return deviceProblem(DeviceKind.cpu);
        }
        if (!CudaExtras.isSupported()) {
            return "it needs diffbench's own JNI (pass --libtorch DIR or set DIFFBENCH_LIBTORCH): " + CudaExtras.reasonUnsupported();
        }
        if (!CudaGraph.isSupported()) {
            return "libtorch reports no CUDA device";
        }
        return null;
    }

    @Override
    public String refusal(String why) {
        return EngineMode.super.refusal(why) + "; use " + Mode.tsProfiling.id();
    }

    @Override
    public DenoiserCalls denoiserCalls(NDManager parent, Function<Network, ModuleNode> sources) {
        return new DenoiserGraphs(parent);
    }
}
