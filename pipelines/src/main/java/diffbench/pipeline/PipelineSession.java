package diffbench.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.nn.AttentionKernel;
import diffbench.runtime.ArchiveCache;
import diffbench.runtime.CompileRecord;
import diffbench.runtime.DenoiserCalls;
import diffbench.runtime.EngineMode;
import diffbench.runtime.Engines;
import diffbench.runtime.ExecutionMode;
import diffbench.runtime.MemoryProbe;
import diffbench.runtime.Network;
import diffbench.schedulers.DenoisingSchedule;
import diffbench.schedulers.Scheduler;
import diffbench.torchscript.StorageType;

import java.util.ArrayList;
import java.util.List;


/**
 * What every pipeline of one cell shares: the device and engine mode, the networks' dtype and
 * attention kernel, the loader of its networks, an NDManager for per-call arrays, the peak-memory
 * probe, and the denoising loop itself.
 *
 * <p>Array rule: the Java side holds latents, text states and images in fp32; networks cast their
 * float inputs to their own dtype inside TorchScript and their outputs are read back as fp32. (DJL's
 * own JNI aborts on bfloat16 arrays, so no bf16 array is ever made on the Java side.)
 */
final class PipelineSession implements AutoCloseable {
    static final long SEED = 0;

    final PipelineSpec spec;
    final Device device;
    final StorageType dtype;
    final NetworkLoader loader;
    final NDManager manager;
    final MemoryProbe memory;
    private final ImageSink images;
    /** How the mode runs denoiser calls: the call itself, graph replay (cuda-graph), packages (compiled). */
    private final DenoiserCalls denoiserCalls;
    private final DenoiserFlops denoiserFlops;

    PipelineSession(PipelineSpec spec, ImageSink images) {
        this.spec = spec;
        this.images = images;
        Engines.pytorch();
        EngineMode engine = EngineMode.of(spec.mode());
        String why = engine.deviceProblem(spec.device());
        if (why == null) {
            why = engine.unsupportedReason(Engines.device(spec.device().name()));
        }
        if (why != null) {
            throw new UnsupportedOperationException(engine.refusal(why));
        }
        ExecutionMode.apply(engine);
        this.device = Engines.device(spec.device().name());
        this.dtype = StorageType.fromShortName(spec.dtype().name());
        this.loader = new NetworkLoader(device, AttentionKernel.fromName(spec.attention().name()), spec.tiny(),
                spec.weights(), SEED, ArchiveCache.fromEnvironment());
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        this.memory = new MemoryProbe(device);
        this.denoiserCalls = engine.denoiserCalls(manager, loader::root);
        this.denoiserFlops = new DenoiserFlops(loader::denoiserArchitecture);
        JniUtils.setSeed(SEED);
    }

    /** Loads a network in the session's dtype. */
    Network load(NetworkCatalog.Entry<?> network) {
        return loader.load(network, dtype);
    }

    /** Loads a network in the session's dtype from one pipeline folder of the weights folder. */
    Network load(NetworkCatalog.Entry<?> network, String pipelineFolder) {
        return loader.load(network, dtype, pipelineFolder);
    }

    /** Loads a network in fp32 whatever the session's dtype (the VAEs diffusers upcasts). */
    Network loadFp32(NetworkCatalog.Entry<?> network) {
        return loadFp32(network, "");
    }

    Network loadFp32(NetworkCatalog.Entry<?> network, String pipelineFolder) {
        return loader.load(network, StorageType.FLOAT32, pipelineFolder);
    }

    /** Runs a network on inputs; its outputs come back as fp32 arrays in the inputs' manager. */
    static NDList run(Network network, NDArray... inputs) {
        return fp32(network.forward(new NDList(inputs)));
    }

    private static NDList fp32(NDList out) {
        NDList fp32 = new NDList(out.size());
        for (NDArray a : out) {
            fp32.add(a.toType(DataType.FLOAT32, false));
        }
        return fp32;
    }

    /**
     * A denoiser call (the UNet of each step): replayed from its CUDA graph in cuda-graph mode, run by
     * its AOTInductor package in compiled mode, else
     * as {@link #run}; outputs as fp32 arrays in the inputs' manager.
     */
    NDList runDenoiser(Network network, NDArray... inputs) {
        return fp32(runDenoiserInItsDtype(network, inputs));
    }

    /** {@link #runDenoiser} with the outputs left in the network's dtype (ControlNet residuals feed the UNet as they are). */
    NDList runDenoiserInItsDtype(Network network, NDArray... inputs) {
        NDList in = new NDList(inputs);
        denoiserFlops.count(network, in);
        return denoiserCalls.forward(network, in);
    }

    /** What compiling the denoisers cost so far (compiled mode; {@link CompileRecord#NONE} otherwise). */
    CompileRecord compileRecord() {
        return denoiserCalls.compileRecord();
    }

    /** The UNet's input under classifier-free guidance: the latents twice, [unconditional; conditional]. */
    static NDArray doubled(NDArray latents) {
        return latents.concat(latents, 0);
    }

    /** Standard normal noise in fp32 on the device. */
    NDArray noise(NDManager m, long... shape) {
        return m.randomNormal(0f, 1f, new Shape(shape), DataType.FLOAT32);
    }

    /** One UNet evaluation (with guidance) at timestep t for the current latents; arrays belong to {@code step}. */
    @FunctionalInterface
    interface GuidedPrediction {
        NDArray predict(NDArray latents, double t, NDArray timestep, NDManager step);
    }

    /**
     * The denoising loop, timed as diffusers' progress bar counts it. Each step's arrays live in a
     * sub-manager of {@code call} closed at the end of the step; only the new latents survive.
     *
     * @param call the manager of the pipeline call, which owns the returned latents
     * @return the final latents
     */
    NDArray denoise(NDManager call, String stage, Scheduler scheduler, DenoisingSchedule schedule, NDArray latents,
                    GuidedPrediction prediction, CallClock clock) {
        double[] timesteps = schedule.timesteps();
        Progress progress = Progress.start(stage.isEmpty() ? spec.pipelineId().id() : "stage " + stage, timesteps.length);
        // All timesteps reach the device in one copy before the loop, as diffusers keeps them there:
        // a host-to-device copy per step would block the host until the GPU drained its queue.
        long[] rounded = new long[timesteps.length];
        for (int i = 0; i < timesteps.length; i++) {
            rounded[i] = Math.round(timesteps[i]);
        }
        NDArray onDevice = call.create(rounded);
        denoiserFlops.takeCount(); // the loop's own calls from here
        clock.startLoop(stage, latents);
        NDArray current = latents;
        for (int i = 0; i < timesteps.length; i++) {
            double t = timesteps[i];
            try (NDManager step = call.newSubManager()) {
                current.attach(step);
                NDArray timestep = onDevice.get(i);
                timestep.attach(step);
                NDArray guided = prediction.predict(current, t, timestep, step);
                NDArray next = scheduler.step(guided, t, current);
                next.attach(call);
                current = next;
            }
            memory.sample();
            progress.step(i + 1);
        }
        clock.endLoop(current, schedule.progressBarSteps(), timesteps.length, denoiserFlops.takeCount());
        onDevice.close();
        return current;
    }

    /** The loader's notes (unknown config keys, ignored tensors) after the pipeline's own. */
    List<String> notes(String... own) {
        List<String> all = new ArrayList<>(List.of(own));
        all.addAll(loader.notes());
        return all;
    }

    /** Hands a call's output images (B, 3, H, W) in [-1, 1] to the sink. */
    void save(NDArray output, String name) {
        images.accept(name, output);
    }

    @Override
    public void close() {
        denoiserCalls.close();
        manager.close();
        loader.close();
    }
}
