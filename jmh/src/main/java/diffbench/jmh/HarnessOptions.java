package diffbench.jmh;

import diffbench.schema.Attention;
import diffbench.schema.CellTerm;
import diffbench.schema.Mode;
import diffbench.schema.PipelineId;
import diffbench.schema.Profile;
import diffbench.schema.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * The harness's command line. `mvn jmh:run -Dname=value` arrives here as `--name=value`; options
 * left out take their value from the profile or from the machine (GPU or CPU smoke run).
 */
@Command(name = "diffbench-harness", mixinStandardHelpOptions = true, versionProvider = HarnessOptions.BuildVersion.class,
        description = "Runs the pipeline benchmark matrix through JMH, one fork per cell, and merges one CSV row per cell"
                + " (per stage) into results/<gpu-slug>.csv.")
final class HarnessOptions {

    /** The build's version and commit, the same as every tool of the build prints. */
    static final class BuildVersion implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.line("diffbench-harness")};
        }
    }

    @Option(names = "--pipelines", split = ",", description = "pipeline ids (default: all six)")
    List<String> pipelines = CellTerm.ids(PipelineId.class);

    @Option(names = "--batches", split = ",", description = "batch sizes (default: 1,4,16)")
    List<Integer> batches = List.of(1, 4, 16);

    @Option(names = "--modes", split = ",", description = "eager, compiled (denoisers as AOTInductor packages, replayed "
            + "as CUDA graphs on a GPU; diffbench's JNI on libtorch 2.8+ and a python3 with the same torch to compile), "
            + "ts-profiling (TorchScript's profiling executor + cuDNN autotune), cuda-graph (ts-profiling + CUDA-graph "
            + "replay of the denoiser; GPU with diffbench's JNI) (default: eager,compiled)")
    List<String> modes = List.of(Mode.eager.id(), Mode.compiled.id());

    @Option(names = "--outputs", description = "write each cell's last output images as raw float32 into this folder "
            + "(<pipeline>-b<batch>-<mode>-<dtype>-<image>.f32), to compare modes")
    String outputs;

    @Option(names = {"--inductor-options", "--inductorOptions"}, description = "the compiled mode's Inductor option set: "
            + "default or max-autotune (default: default)")
    String inductorOptions = "default";

    @Option(names = "--attention", split = ",", description = "sdpa, math (default: sdpa)")
    List<String> attention = List.of(Attention.sdpa.id());

    @Option(names = "--dtype", split = ",", description = "fp16, bf16, fp32 (default: fp16 on a GPU, fp32 on CPU)")
    List<String> dtype;

    @Option(names = "--profile", description = "quick (5 steps, 2 warm-up, 3 measured calls) or full (50, 2, 5); default quick")
    Profile profile = Profile.quick;

    @Option(names = "--steps", description = "denoising steps (default: the profile's)")
    Integer steps;

    @Option(names = "--warmups", description = "warm-up calls per cell (default: the profile's)")
    Integer warmups;

    @Option(names = "--measurements", description = "measured calls per cell (default: the profile's)")
    Integer measurements;

    @Option(names = "--emulate", description = "a gpu-profiles card (T4, A100, ...) whose memory caps this one")
    String emulate;

    @Option(names = "--results", description = "results CSV (default: results/<gpu-slug>.csv); JMH JSON goes next to it")
    Path results;

    @Option(names = "--device", description = "gpu or cpu (default: gpu when nvidia-smi sees one)")
    String device;

    @Option(names = "--tiny", arity = "0..1", description = "tiny network configs (default: on CPU only)")
    Boolean tiny;

    @Option(names = {"--cell-timeout", "--cellTimeout"}, description = "seconds one cell may take before its fork is killed (default: the profile's)")
    Integer cellTimeout;

    @Option(names = {"--fail-on-error", "--failOnError"}, arity = "0..1",
            description = "exit 1 when a cell ends in error or timeout (OOM outcomes are results, not failures)")
    boolean failOnError;

    @Option(names = "--peer", arity = "0..1",
            description = "after the JVM cells, run the same cells in PyTorch (peer/run_peer.py: eager, torch.compile "
                    + "reduce-overhead and max-autotune-no-cudagraphs) when python has torch; sd-txt2img and sdxl-txt2img")
    boolean peer;

    @Option(names = {"--peer-only", "--peerOnly"}, arity = "0..1",
            description = "run only the PyTorch side of the cells (as --peer, without the JVM cells; needs no libtorch "
                    + "for the JVM): for measuring torch.compile's long compiles on their own")
    boolean peerOnly;

    @Option(names = {"--peer-runtimes", "--peerRuntimes"}, split = ",",
            description = "which PyTorch runtimes --peer runs (default: python-eager, python-compile-reduce-overhead, "
                    + "python-compile-max-autotune-no-cudagraphs; max-autotune compiles for minutes per shape)")
    List<String> peerRuntimes = PeerRunner.RUNTIMES;

    @Option(names = "--python", description = "the Python that runs the peer (default: python3)")
    String python = "python3";

    @Option(names = "--gpus", split = ",", description = "spread the cells over these cards of this box, one harness per "
            + "card (nvidia-smi indexes or UUIDs, e.g. 0,1,2,3); every card's rows name it")
    List<String> gpus;

    @Option(names = "--shard", description = "I/N: run only every N-th cell, starting at the I-th (0-based); --gpus gives "
            + "each of its harnesses one")
    String shard;

    @Option(names = "--remeasure", arity = "0..1", fallbackValue = "true",
            description = "measure again the cells the results file already holds a finished row of (same card, "
                    + "software and settings): true for all of them, error for those that ended in error (default: "
                    + "false, a run continues where an earlier one stopped)")
    String remeasure;

    @Option(names = "--missing", arity = "0..1",
            description = "list the cells a run would measure (those without a finished row) and exit without running any")
    boolean missing;

    @Option(names = "--progress", description = "keep 'finished=F cells=N results=CSV' in this file while the run goes on")
    Path progress;

    @Option(names = "--prof", split = ",", description = "JMH profilers for every cell's fork, as JMH's -prof names them: gc, "
            + "stack, jfr, perfnorm, async:libPath=...;output=flamegraph (options after ':', separated by ';'); several: gc,stack")
    List<String> prof = List.of();

    @Option(names = "--launcher", description = "a command every cell's fork runs under, its java command appended "
            + "(e.g. 'nsys profile -o cell-%%p --force-overwrite true')")
    String launcher;

    /** Whether the PyTorch side runs (`--peer` or `--peer-only`). */
    boolean runsPeer() {
        return peer || peerOnly;
    }
}
