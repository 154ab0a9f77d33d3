package diffbench.cli;

import diffbench.pipeline.BenchmarkPipeline;
import diffbench.pipeline.CallResult;
import diffbench.pipeline.HostMemory;
import diffbench.pipeline.ImageSink;
import diffbench.pipeline.OutputCheck;
import diffbench.pipeline.PipelineOptions;
import diffbench.pipeline.PipelineSpec;
import diffbench.pipeline.Pipelines;
import diffbench.runtime.Engines;
import diffbench.schedulers.StepCounting;
import diffbench.schema.Attention;
import diffbench.schema.DeviceKind;
import diffbench.schema.Dtype;
import diffbench.schema.Mode;
import diffbench.schema.PipelineId;
import diffbench.schema.Profile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** `diffbench run`: one pipeline, a few calls, its denoising it/s, seconds per call and peak memory. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs one pipeline and prints denoising it/s, seconds per call and peak GPU memory.")
public final class RunCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--pipeline", required = true, description = "sd-txt2img, sd-img2img, sd-inpaint, sd-controlnet, if, sdxl-txt2img")
    String pipeline;

    @Option(names = {"--batch", "--batches"}, defaultValue = "1", description = "images per prompt (default ${DEFAULT-VALUE})")
    int batch;

    // mode, attention, dtype and device are read by schema's vocabulary in run(), as the harness reads them
    @Option(names = "--mode", defaultValue = "eager",
            description = "eager, compiled (denoisers as AOTInductor packages; --libtorch 2.8+ and python3 with that torch), "
                    + "ts-profiling (TorchScript profiling executor) or cuda-graph (ts-profiling + CUDA-graph replay of the "
                    + "denoiser; GPU with --libtorch) (default ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--attention", defaultValue = "sdpa", description = "sdpa or math (default ${DEFAULT-VALUE})")
    String attention;

    @Option(names = "--dtype", description = "fp16, bf16 or fp32 (default fp16 on GPU, fp32 on CPU)")
    String dtype;

    @Option(names = "--profile", defaultValue = "quick",
            description = "quick (5 steps, 2 warm-up, 3 measured calls) or full (50, 2, 5), as the harness's (default ${DEFAULT-VALUE})")
    Profile profile;

    @Option(names = "--steps", description = "denoising steps (default: the profile's; IF scales its stages' 100/50/75)")
    Integer steps;

    @Option(names = "--tiny", description = "tiny configs of every network (tests, CPU)")
    boolean tiny;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto (default: gpu when libtorch sees one, else cpu with tiny configs)")
    String device;

    @Option(names = "--weights", description = "a local diffusers pipeline folder with real weights (default: seeded synthetic weights)")
    Path weights;

    @Option(names = "--image", description = "input image for img2img, inpaint and ControlNet (default: a built-in test image)")
    Path image;

    @Option(names = "--mask", description = "inpainting mask (default: a built-in centred rectangle)")
    Path mask;

    @Option(names = "--prompt", defaultValue = PipelineOptions.BENCHMARK_PROMPT, description = "the prompt (default: the benchmark's)")
    String prompt;

    @Option(names = "--save-images", description = "write the output images as PNG into this folder")
    Path saveImages;

    @Option(names = "--plain-steps", description = "one UNet call per step (default: count as the published benchmark, PNDM 50 steps = 51 calls)")
    boolean plainSteps;

    // --warmup and --calls: the names before the harness's were taken over (issue 13), kept as deprecated aliases
    @Option(names = {"--warmups", "--warmup"}, description = "warm-up calls before the measured ones (default: the profile's)")
    Integer warmups;

    @Option(names = {"--measurements", "--calls"}, description = "measured calls (default: the profile's)")
    Integer measurements;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PipelineId id = PipelineId.fromId(pipeline);
        boolean tinyConfigs = tiny;
        DeviceKind kind;
        if (device.equals("auto")) {
            boolean gpu = Engines.hasGpu();
            kind = gpu ? DeviceKind.gpu : DeviceKind.cpu;
            if (!gpu && !tiny) {
                tinyConfigs = true;
                out.println("no CUDA GPU visible to libtorch: running the tiny configs on CPU "
                        + "(--device gpu on a GPU machine for real figures)");
            }
        } else {
            kind = DeviceKind.fromId(device);
        }
        Mode engineMode = Mode.fromId(mode);
        Attention kernel = Attention.fromId(attention);
        Dtype precision = dtype != null ? Dtype.fromId(dtype) : Dtype.defaultOn(kind);
        int stepCount = profile.steps(steps);
        int warmupCalls = profile.warmups(warmups);
        int measuredCalls = profile.measurements(measurements);
        // an input the pipeline never reads would be a silent no-op
        if (image != null && !(id == PipelineId.SD_IMG2IMG || id == PipelineId.SD_INPAINT || id == PipelineId.SD_CONTROLNET)) {
            throw new IllegalArgumentException("--image is an input of sd-img2img, sd-inpaint and sd-controlnet; " + id.id()
                    + " takes none: leave --image out");
        }
        if (mask != null && id != PipelineId.SD_INPAINT) {
            throw new IllegalArgumentException("--mask is an input of sd-inpaint only; " + id.id() + " takes none: leave --mask out");
        }
        if (weights != null && !Files.isDirectory(weights)) {
            throw new IllegalArgumentException("--weights " + weights + " is not a folder: give a diffusers pipeline folder "
                    + "(with unet/, vae/, text_encoder/ ...) or leave it out for synthetic weights");
        }
        if (saveImages != null) {
            try {
                Files.createDirectories(saveImages);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot create --save-images folder " + saveImages + ": " + e.getMessage());
            }
        }
        PipelineSpec spec = new PipelineSpec(id, batch, engineMode, kernel, precision, stepCount, tinyConfigs, kind,
                Optional.ofNullable(weights));
        HostMemory.check(spec); // before loading: an oversized batch would eat the host's memory
        Map<String, OutputCheck> outputChecks = new HashMap<>();
        PipelineOptions options = new PipelineOptions(prompt, Optional.ofNullable(image), Optional.ofNullable(mask),
                checkedThen(saveImages != null ? ImageSink.pngs(saveImages) : ImageSink.NONE, outputChecks),
                plainSteps ? StepCounting.PLAIN : StepCounting.BENCHMARK);
        out.printf("%s batch %d, %s, %s, %s, %s configs on %s, %s weights%n", id, batch, engineMode, kernel, precision,
                tinyConfigs ? "tiny" : "full", kind, weights == null ? "seeded synthetic" : "real (" + weights + ")");
        long t0 = System.nanoTime();
        try (BenchmarkPipeline p = Pipelines.open(spec, options)) {
            out.printf("loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            p.notes().forEach(n -> out.println("note: " + n));
            for (int i = 0; i < warmupCalls; i++) {
                CallResult r = p.call();
                out.printf("warm-up %d: %.3f s%n", i + 1, r.seconds());
            }
            for (int i = 0; i < measuredCalls; i++) {
                outputChecks.clear();
                print(out, i + 1, p.call(), outputChecks);
            }
        }
    }

    /** Checks each output batch (diffbench.pipeline.OutputCheck), by the stage it belongs to, then hands it on. */
    private static ImageSink checkedThen(ImageSink next, Map<String, OutputCheck> checks) {
        return (name, images) -> {
            checks.put(OutputCheck.stageOf(name), OutputCheck.of(images));
            next.accept(name, images);
        };
    }

    private static void print(PrintWriter out, int n, CallResult r, Map<String, OutputCheck> checks) {
        StringBuilder s = new StringBuilder(String.format("call %d: %.3f s per call", n, r.seconds()));
        for (CallResult.StageTiming st : r.stages()) {
            double tflops = st.denoiserTflops();
            s.append(String.format(", %s%.2f it/s (denoiser %s TFLOP/s)", st.stage().isEmpty() ? "" : "stage " + st.stage() + " ",
                    st.iterationsPerSecond(), Double.isFinite(tflops)
                            ? new BigDecimal(tflops).round(new MathContext(3)).stripTrailingZeros().toPlainString()
                            : "n/a"));
        }
        s.append(String.format(", %.3f s outside the denoising loop", r.outsideLoopSeconds()));
        s.append(r.peakMemoryBytes() >= 0 ? String.format(", peak GPU memory %d MiB", r.peakMemoryBytes() >> 20)
                : ", peak GPU memory n/a");
        s.append(", output ").append(new TreeMap<>(checks).entrySet().stream()
                .map(e -> (e.getKey().isEmpty() ? "" : e.getKey() + " ") + e.getValue().id())
                .collect(Collectors.joining(", ")));
        out.println(s);
        out.flush();
    }
}
