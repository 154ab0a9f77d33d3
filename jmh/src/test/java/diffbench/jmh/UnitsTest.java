package diffbench.jmh;

import ai.djl.engine.EngineException;
import diffbench.runtime.LocalLibtorch;
import diffbench.schema.Outcome;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;
import diffbench.schema.ResultsFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The small pieces, without forks. */
class UnitsTest {

    @TempDir
    Path dir;

    @Test
    void gpuCellsNeedTheUsersLibtorch() {
        assertFalse(LocalLibtorch.isConfigured(Map.of()), "pytorch-native-cpu only");
        assertFalse(LocalLibtorch.isConfigured(Map.of("DIFFBENCH_LIBTORCH", " ")));
        assertTrue(LocalLibtorch.isConfigured(Map.of("DIFFBENCH_LIBTORCH", "/opt/torch")));
        assertTrue(LocalLibtorch.isConfigured(Map.of("PYTORCH_LIBRARY_PATH", "/opt/torch/lib")), "run-on-gpu-box.sh");
    }

    /** What the Debian libtorch 1.13 fork said when an archive used SDPA: the row must keep libtorch's line. */
    @Test
    void errorMessagesKeepLibtorchsLineBelowAnEmptyExceptionMessage() {
        assertEquals("ai.djl.engine.EngineException: Unknown builtin op: aten::scaled_dot_product_attention.",
                OutcomeClassifier.oneLine("ai.djl.engine.EngineException: \n\nUnknown builtin op: "
                        + "aten::scaled_dot_product_attention.\nHere are some suggestions:\n\taten::_scaled_dot_product_attention"));
        assertEquals("java.lang.IllegalStateException: boom", OutcomeClassifier.oneLine("java.lang.IllegalStateException: boom\n  at x"));
        assertEquals("", OutcomeClassifier.oneLine(" "));
    }

    /** --emulate reads the cards from gpu-profiles/ (the schema module's GpuProfiles): an unknown one is refused first. */
    @Test
    void anUnknownEmulatedCardIsRefusedBeforeAnyCell() {
        Path csv = dir.resolve("r.csv");
        // surefire sets diffbench.root to the checkout, whose gpu-profiles/ the harness reads
        assertEquals(HarnessMain.USAGE, HarnessMain.run("--results=" + csv, "--device=cpu", "--tiny",
                "--pipelines=sd-txt2img", "--batches=1", "--modes=eager", "--emulate=K80"));
        assertFalse(Files.exists(csv), "no cell ran");
    }

    /** ts-profiling cells need two warm-up calls (profile, then optimise): fewer is allowed, and said to distort seconds per call. */
    @Test
    void tooFewWarmUpsForCompiledCellsAreNamedInTheBanner() {
        String quick = banner("--modes=eager,compiled,ts-profiling");
        assertTrue(quick.contains("profile quick, 2 warm-up + 3 measured calls each"), quick);
        assertFalse(quick.contains("note:"), quick);
        assertFalse(banner("--modes=eager", "--warmups=1").contains("note:"), "eager graphs are not optimised");
        assertTrue(banner("--modes=cuda-graph", "--warmups=1").contains("diffbench: note: with fewer than 2 warm-up calls, "
                + "ts-profiling and cuda-graph cells optimise the text encoder and VAE inside their first measured call"));
        assertTrue(banner("--modes=compiled", "--warmups=0").contains("compiled cells compile (or load) their packages"));
    }

    /** What the harness prints before its cells: --peer-only without a Python runs nothing after it. */
    private String banner(String... options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        List<String> args = new ArrayList<>(List.of("--results=" + dir.resolve("r.csv"), "--device=cpu", "--tiny",
                "--pipelines=sd-txt2img", "--batches=1", "--peer-only", "--python=" + dir.resolve("no-such-python")));
        args.addAll(List.of(options));
        try {
            System.setOut(new PrintStream(out, true));
            assertEquals(0, HarnessMain.run(args.toArray(String[]::new)));
        } finally {
            System.setOut(saved);
        }
        return out.toString();
    }

    @Test
    void theHostCpuIsItsModelAndTheCpusTheRunMayUse() throws Exception {
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nvendor_id\t: AuthenticAMD\n"
                + "model name\t: AMD EPYC 9654 96-Core Processor\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 9654 96-Core Processor\n");
        int cpus = Runtime.getRuntime().availableProcessors();
        String plural = cpus == 1 ? " CPU)" : " CPUs)";
        assertEquals("AMD EPYC 9654 96-Core Processor (" + cpus + plural, HostEnvironment.hostCpu(cpuinfo));
        // an Arm host's cpuinfo names no model: lscpu does ("Neoverse-V2" on Grace)
        assertEquals("Neoverse-V2", HostEnvironment.field(Stream.of("Architecture:   aarch64",
                "Vendor ID:      ARM", "Model name:     Neoverse-V2", "  Model:        0"), "Model name"));
        assertEquals("", HostEnvironment.field(Stream.of("model name extra: x"), "model name"));
    }

    @Test
    void gpuCellsWithoutAGpuAreRefusedNamingTheFix() {
        Assumptions.assumeTrue(NvidiaSmi.query().isEmpty(), "this machine has a GPU");
        Path csv = dir.resolve("r.csv");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        try {
            System.setErr(new PrintStream(err, true));
            assertEquals(HarnessMain.USAGE, HarnessMain.run("--results=" + csv, "--device=gpu", "--pipelines=sd-txt2img"));
        } finally {
            System.setErr(saved);
        }
        assertEquals("diffbench: --device gpu, but nvidia-smi sees no GPU: run on a machine with an NVIDIA GPU and its "
                + "driver, or leave --device out to run the CPU smoke matrix", err.toString().strip());
        assertFalse(Files.exists(csv));
    }

    @Test
    void cudaVersionsAreWrittenAsTorchWritesThem() {
        assertEquals("13.0", PipelineBenchmark.cudaVersion(13000));
        assertEquals("12.8", PipelineBenchmark.cudaVersion(12080));
        assertEquals("11.8", PipelineBenchmark.cudaVersion(11080));
    }

    @Test
    void oomIsRecognisedFromTheEngineExceptionAndItsCauses() {
        assertTrue(OomClassifier.isOom(new EngineException("CUDA out of memory. Tried to allocate 20.00 MiB")));
        assertTrue(OomClassifier.isOom(new RuntimeException("forward failed",
                new EngineException("c10::OutOfMemoryError: allocation failed"))));
        assertTrue(OomClassifier.isOom(new EngineException("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: not enough memory: you tried to allocate 1099511627776 bytes.")));
        assertFalse(OomClassifier.isOom(new OutOfMemoryError("Java heap space")), "the JVM heap is the harness's problem");
        assertFalse(OomClassifier.isOom(new EngineException("Expected all tensors to be on the same device")));
    }

    @Test
    void phasesAndFaultSelectorsParse() {
        assertEquals(new Phase(Phase.Kind.warmup, 2), Phase.parse("warmup:2"));
        assertEquals(Phase.LOAD, Phase.parse("load"));
        assertThrows(IllegalArgumentException.class, () -> Phase.parse("iteration"));
        assertThrows(IllegalArgumentException.class, () -> Phase.parse("warmup:0"));
        Faults f = new Faults(Faults.parse("iteration:3"), Faults.parse("if:4:compiled=load"));
        Cell cell = new Cell("if", 4, "compiled", "sdpa", "fp16", 5, false, "gpu");
        assertEquals("iteration:3", f.oom(cell));
        assertEquals("load", f.hang(cell));
        assertEquals("none", f.hang(new Cell("if", 1, "compiled", "sdpa", "fp16", 5, false, "gpu")));
    }

    @Test
    void outcomesAreNamedByPhase() {
        assertEquals(Outcome.OOM_AT_LOAD, CellOutcome.failedAt(Phase.LOAD, true, "x").outcome());
        assertEquals(Outcome.oomInWarmup(2), CellOutcome.failedAt(Phase.parse("warmup:2"), true, "x").outcome());
        assertEquals(Outcome.oomAtIteration(1), CellOutcome.failedAt(Phase.parse("iteration:1"), true, "x").outcome());
        CellOutcome error = CellOutcome.failedAt(Phase.parse("iteration:1"), false, "boom");
        assertEquals(Outcome.ERROR, error.outcome());
        assertEquals("in iteration:1: boom", error.message());
        CellOutcome atClose = CellOutcome.failedAt(Phase.DONE, true, "CUDA out of memory");
        assertEquals(Outcome.ERROR, atClose.outcome(), "no call was cut short, so no oom-* outcome fits");
        assertTrue(atClose.message().startsWith("out of memory after the last call"), atClose.message());
    }


    @Test
    void theHarnessKnowsTheEngineItsForksLoadWithoutLoadingIt() throws Exception {
        EngineVersions configured = EngineVersions.configured();
        // what HarnessRunTest sees each fork report on this class path
        assertEquals(new EngineVersions("2.7.1", "0.36.0", "", ""), configured);
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "Linux only");
        assertFalse(Files.readString(maps).contains("libtorch"), "the harness JVM never maps libtorch");
    }

    /** The fork's marks and warm-up peak become the row's start-up figures, also for a cell that failed later. */
    @Test
    void startUpFiguresComeFromTheForkReport() {
        HostEnvironment env = new HostEnvironment(Optional.empty(), "OpenJDK 17", "ci", "Xeon (2 CPUs)", "abc1234", "diffbench",
                new EngineVersions("2.11.0", "0.36.0", "13.0", ""));
        ForkReport.Content fork = new ForkReport.Content();
        fork.mark(Phase.LOAD, 1_000L);
        fork.mark(Phase.warmup(1), 3_500L);
        fork.mark(Phase.measured(1), 65_500L);
        fork.warmupPeakMemoryBytes = 12L << 30;
        ResultRow r = CellRows.of(env, new CellRows.Settings("quick", 1, 3, 0, "", "default"),
                new Cell("sdxl-txt2img", 16, "cuda-graph", "sdpa", "fp16", 5, false, "gpu"),
                CellOutcome.failedAt(new Phase(Phase.Kind.iteration, 2), true, "CUDA out of memory"), fork,
                Optional.of(new GpuSampler.Summary(1830.4, 655.25, 71, "sw-power-cap"))).get(0);
        assertEquals("oom-at-iteration-2", r.outcome().id());
        assertEquals("2.5", r.get(ResultColumn.LOAD_SECONDS));
        assertEquals("62", r.get(ResultColumn.WARMUP_SECONDS));
        assertEquals("12288", r.get(ResultColumn.WARMUP_PEAK_MEMORY_MIB));
        assertEquals("1830.4", r.get(ResultColumn.SM_CLOCK_MHZ));
        assertEquals("655.25", r.get(ResultColumn.GPU_POWER_W));
        assertEquals("71", r.get(ResultColumn.GPU_TEMPERATURE_C));
        assertEquals("sw-power-cap", r.get(ResultColumn.CLOCK_LIMITS));
    }

    @Test
    void forkReportsWinAndTheHarnessFillsWhatAForkNeverSaid() {
        EngineVersions harness = new EngineVersions("2.7.1", "0.36.0", "", "");
        assertEquals(new EngineVersions("2.11.0", "0.36.0", "12.8", ""), new EngineVersions("2.11.0", "", "12.8", "").orElse(harness));
        assertEquals(harness, new EngineVersions("", "", "", "").orElse(harness));
    }

    @Test
    void aForkThatDiedBeforeReportingItsEngineStillReplacesItsCell() throws Exception {
        HostEnvironment env = new HostEnvironment(Optional.empty(), "OpenJDK 17", "ci", "Xeon (2 CPUs)", "abc1234", "djl",
                new EngineVersions("2.7.1", "0.36.0", "", ""));
        CellRows.Settings settings = new CellRows.Settings("quick", 1, 2, 0, "", "default");
        Cell ifCell = new Cell("if", 1, "eager", "sdpa", "fp32", 3, true, "cpu");
        ForkReport.Content reported = new ForkReport.Content();
        reported.engine = new EngineVersions("2.7.1", "0.36.0", "", "");

        // an earlier, finished run: three stage rows, the engine as its fork reported it (figures need
        // JMH's results, so they are set by hand on the cell's row)
        ResultRow earlier = CellRows.of(env, settings, ifCell, CellOutcome.error(""), reported, Optional.empty()).get(0);
        List<ResultRow> stages = Stream.of("I", "II", "III").map(stage -> earlier.toBuilder().outcome(Outcome.OK)
                .set(ResultColumn.STAGE, stage).set(ResultColumn.ITS_MEAN, 5).build()).toList();
        ResultRow otherCell = CellRows.of(env, settings, new Cell("sd-txt2img", 1, "eager", "sdpa", "fp32", 3, true, "cpu"),
                CellOutcome.error("boom"), reported, Optional.empty()).get(0);
        Path csv = dir.resolve("r.csv");
        ResultsFile.merge(csv, Stream.concat(stages.stream(), Stream.of(otherCell)).toList());

        // now the fork dies before it loads the engine: nothing reported, the harness fills the versions in
        List<ResultRow> died = CellRows.of(env, settings, ifCell, CellOutcome.timeout("killed"), new ForkReport.Content(),
                Optional.empty());
        assertEquals(1, died.size());
        assertEquals("2.7.1", died.get(0).libtorch());
        assertEquals("0.36.0", died.get(0).get(ResultColumn.DJL));
        assertEquals("djl", died.get(0).jni());
        assertEquals(List.of(died.get(0), otherCell), ResultsFile.merge(csv, died), "all three stage rows replaced");
        assertEquals(List.of(died.get(0), otherCell), Results.read(csv));
    }

    @Test
    void numbersKeepSixSignificantDigits() {
        assertEquals("41.2346", CellRows.number(41.234567));
        assertEquals("0.0123457", CellRows.number(0.01234567));
        assertEquals("", CellRows.number(Double.NaN));
    }
}
