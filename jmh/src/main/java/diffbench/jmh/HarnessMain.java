package diffbench.jmh;

import diffbench.pipeline.HostMemory;
import diffbench.pipeline.Pipelines;
import diffbench.runtime.AotiCompiler;
import diffbench.runtime.EngineMode;
import diffbench.runtime.InductorOptions;
import diffbench.runtime.LocalLibtorch;
import diffbench.schema.AtomicFile;
import diffbench.schema.Attention;
import diffbench.schema.DeviceKind;
import diffbench.schema.Dtype;
import diffbench.schema.GpuProfiles;
import diffbench.schema.Mode;
import diffbench.schema.Outcome;
import diffbench.schema.PipelineId;
import diffbench.schema.ResultRow;
import diffbench.schema.ResultsFile;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.profile.ProfilerFactory;
import org.openjdk.jmh.runner.options.ProfilerConfig;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * `mvn jmh:run` starts this: builds the cell list, runs each cell in its own JMH run (a failure stays
 * in its cell), and merges each finished cell's rows into the results file before the next cell
 * starts, so a run stopped midway keeps every row it finished.
 */
public final class HarnessMain {
    /** A folder for the default results file, instead of the checkout's results/. */
    static final String RESULTS_DIR_PROPERTY = "diffbench.results";


    /** Exit codes: cells ran (whatever their outcomes); bad options; results file refused; --fail-on-error. */
    static final int OK = 0;
    static final int CELL_FAILED = 1;
    static final int USAGE = 2;
    static final int RESULTS_REFUSED = 3;

    private HarnessMain() {}

    public static void main(String[] args) {
        ParentWatch.startFromSystemProperty("the harness"); // killing mvn jmh:run ends the run
        System.exit(run(args));
    }

    static int run(String... args) {
        HarnessOptions o = new HarnessOptions();
        CommandLine cli = new CommandLine(o).setCaseInsensitiveEnumValuesAllowed(true);
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            say(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, System.err); // "Possible solutions: --pipelines"
            return USAGE;
        }
        if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(System.out);
            return OK;
        }
        if (cli.isUsageHelpRequested()) {
            if (OptionNames.viaMaven()) {
                printProperties(cli, System.out); // mvn jmh:help
            } else {
                cli.usage(System.out);
            }
            return OK;
        }
        if (o.gpus != null && o.progress != null) {
            say("--progress is one harness's: with --gpus each card's harness would overwrite it; leave one of them out");
            return USAGE;
        }
        if (o.gpus != null) {
            return GpuShards.run(o.gpus, args);
        }
        Path root = Path.of(System.getProperty("diffbench.root", ".")).toAbsolutePath().normalize();
        HostEnvironment env;
        try {
            env = HostEnvironment.detect(root);
        } catch (NvidiaSmi.AmbiguousGpu e) {
            say(e.getMessage());
            return USAGE;
        }
        Plan plan;
        try {
            plan = Plan.of(o, env, root);
        } catch (IllegalArgumentException e) {
            say(e.getMessage());
            return USAGE;
        }
        if (plan.libtorch != null) {
            env = env.withJni(HostEnvironment.PROJECT_JNI); // the forks start their engine through LocalLibtorch
            try {
                // what their rows will name, known before any fork runs: earlier rows of a cell are found by it
                env = env.withLibtorch(LocalLibtorch.version(plan.libtorch));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                // the first fork that loads it says what is wrong with the folder, in its cell's row
            }
        }
        List<ResultRow> existing = List.of();
        try {
            // temps of a killed earlier run: their targets were never replaced, so they hold nothing to keep
            for (Path target : List.of(plan.csv, plan.json.path())) {
                try (AtomicFile.Lock lock = AtomicFile.lock(target)) { // not a temp another run is writing now
                    AtomicFile.removeLeftovers(target)
                            .forEach(p -> System.out.println("diffbench: removed " + p + ", left by a run killed mid-write"));
                }
            }
            // before any cell runs: a file we could not merge into would cost the whole run
            if (Files.exists(plan.csv)) {
                existing = ResultsFile.read(plan.csv);
            }
            plan.json.check();
            AtomicFile.checkReplaceable(plan.csv);
            AtomicFile.checkReplaceable(plan.json.path());
        } catch (IOException e) {
            return refused(e);
        }
        HostEnvironment machine = env;
        MeasuredCells measured = new MeasuredCells(plan.remeasure, cell -> CellRows.planned(machine, plan.settings, cell));
        List<Cell> toRun = measured.missing(plan.cells, existing);
        if (o.missing) {
            System.out.println(plan.resumeLine(toRun.size()));
            toRun.forEach(c -> System.out.println("missing: " + c));
            return OK;
        }
        return execute(plan, env, o, measured, toRun);
    }

    /** `mvn jmh:help`: each option as the `-D` property the plugin passes on, with its default. */
    static void printProperties(CommandLine cli, PrintStream out) {
        for (CommandLine.Model.OptionSpec opt : cli.getCommandSpec().options()) {
            if (opt.usageHelp() || opt.versionHelp()) {
                continue;
            }
            String description = String.join(" ", opt.description());
            Object initial = opt.initialValue();
            if (!description.contains("default") && initial != null) {
                String value = initial instanceof List<?> l
                        ? l.stream().map(String::valueOf).collect(Collectors.joining(",")) : initial.toString();
                description += " (default: " + (value.isEmpty() ? "none" : value) + ")";
            }
            out.printf("  %-20s %s%n", "-D" + OptionNames.camel(opt.names()[0].substring(2)),
                    OptionNames.inMessage(description.replace("%%", "%")));
        }
    }

    /** An error line: the harness's prefix, and each option named as the user typed it. */
    static void say(String message) {
        System.err.println("diffbench: " + OptionNames.inMessage(message));
    }

    /** A results file that cannot be read or written: say which and why; it was not changed. */
    private static int refused(IOException e) {
        say(e.getMessage());
        say("to write elsewhere, pass --results=PATH");
        return RESULTS_REFUSED;
    }

    private static int execute(Plan plan, HostEnvironment env, HarnessOptions o, MeasuredCells measured, List<Cell> toRun) {
        boolean failOnError = o.failOnError;
        System.out.println(plan.banner(env));
        if (!plan.peerOnly && toRun.size() < plan.cells.size()) {
            System.out.println(plan.resumeLine(toRun.size()));
        }
        if (toRun.isEmpty() && !o.runsPeer()) {
            writeProgress(o, plan, plan.cells.size());
            return OK;
        }
        boolean gpuCells = plan.cells.stream().anyMatch(c -> c.device().equals("gpu"));
        Optional<String> cardTaken = gpuCells ? env.gpu().flatMap(CardLock::acquire) : Optional.empty();
        if (cardTaken.isPresent()) {
            say(cardTaken.get());
            return USAGE;
        }
        Console console = new Console(System.out);
        CellRunner runner = new CellRunner(plan.settings.warmups(), plan.settings.measurements(), plan.timeoutSeconds,
                plan.forkJvmArgs(), env.gpu().filter(g -> gpuCells).flatMap(g -> GpuSampler.nvidiaSmiCommand(g.id())), console)
                .withProfilers(o.prof).withLauncher(o.launcher);
        Map<Cell, CellRunner.CellRun> done = new LinkedHashMap<>();
        List<Cell> notRun = new ArrayList<>();
        int finished = plan.cells.size() - toRun.size();
        RunProgress progress = new RunProgress(console, plan.cells, finished, plan.settings.warmups(), plan.settings.measurements());
        writeProgress(o, plan, finished);
        for (Cell cell : plan.peerOnly ? List.<Cell>of() : toRun) {
            try {
                // another run on this card (a re-submitted job, say) may have measured it since this one started
                if (Files.exists(plan.csv) && measured.finished(cell, ResultsFile.read(plan.csv))) {
                    progress.skipped(cell, "measured meanwhile by another run");
                    writeProgress(o, plan, ++finished);
                    continue;
                }
            } catch (IOException e) {
                return refused(e);
            }
            CellRunner.CellRun run;
            try (RunProgress.Watch watch = progress.start(cell)) {
                run = runner.run(cell, plan.faults.oom(cell), plan.faults.hang(cell), watch);
            }
            if (!run.ran()) {
                // nothing was measured: a row now would replace the cell's finished one with a worse one
                notRun.add(cell);
                progress.notRun(cell, run.outcome().message() + "; its rows in " + plan.csv.getFileName() + " are left as they were");
                continue;
            }
            List<ResultRow> rows = CellRows.of(env, plan.settings, cell, run.outcome(), run.fork(), run.gpu());
            try {
                if (!ParentWatch.unlessStopping(() -> {
                    ResultsFile.merge(plan.csv, rows);
                    plan.json.merge(cell, run.results());
                })) {
                    continue; // the run is stopping: this cell was cut off by the stop, not measured
                }
            } catch (IOException e) {
                return refused(e);
            }
            done.put(cell, run);
            boolean countsAsDone = run.outcome().outcome().kind() != Outcome.Kind.TIMEOUT;
            if (countsAsDone) {
                finished++;
            }
            writeProgress(o, plan, finished);
            console.line("diffbench: " + cell + ": " + run.timeline());
            progress.finished(cell, run.outcome(), rows, run.endedMillis() - run.startedMillis(), countsAsDone);
        }
        if (!plan.peerOnly) {
            progress.close(plan.csv, plan.root);
            console.line("diffbench: JMH JSON: " + plan.json.path());
        }
        boolean failed = done.values().stream().anyMatch(r -> r.outcome().failed());
        if (o.runsPeer()) {
            failed |= !new PeerRunner(o.python, o.peerRuntimes, plan.root, plan.timeoutSeconds).run(plan.cells, plan.settings, env, plan.csv);
        }
        // a cell that did not run is no result at all: the run did not do what was asked, whatever --fail-on-error says
        return failed && failOnError || !notRun.isEmpty() ? CELL_FAILED : OK;
    }

    /** --progress: a failure to write it is said, and costs no measurement. */
    private static void writeProgress(HarnessOptions o, Plan plan, int finished) {
        if (o.progress == null || plan.peerOnly) {
            return;
        }
        try {
            new ProgressFile(o.progress, plan.cells.size(), plan.csv).write(finished);
        } catch (IOException e) {
            System.err.println("diffbench: cannot write the progress file " + o.progress + ": " + e.getMessage());
        }
    }

    /** Every N-th cell from the I-th, for {@code I/N}: the cells of one card when --gpus spreads a run. */
    static List<Cell> shard(List<Cell> cells, String spec) {
        Matcher m = Pattern.compile("(\\d{1,4})/(\\d{1,4})").matcher(spec);
        if (!m.matches() || Integer.parseInt(m.group(1)) >= Integer.parseInt(m.group(2))) {
            throw new IllegalArgumentException("--shard takes I/N with 0 <= I < N, e.g. 1/4, not '" + spec + "'");
        }
        int index = Integer.parseInt(m.group(1));
        int count = Integer.parseInt(m.group(2));
        List<Cell> mine = new ArrayList<>();
        for (int i = index; i < cells.size(); i += count) {
            mine.add(cells.get(i));
        }
        return mine;
    }

    /** The resolved run: cells, counts, files, and what each fork gets. */
    private static final class Plan {
        List<Cell> cells;
        CellRows.Settings settings;
        long timeoutSeconds;
        Path csv;
        JmhJsonFile json;
        Faults faults;
        boolean cpuSmoke;
        boolean peerOnly;
        /** The checkout (or unpacked bundle): results/, gpu-profiles/, peer/. */
        Path root;
        /** I/N when this harness runs one card's share of a --gpus run; null for all cells. */
        String shard;
        /** The libtorch the forks start their engine on through LocalLibtorch (the project's JNI); null for none. */
        Path libtorch;
        /** Which cells with a finished row in the results file run again (--remeasure). */
        MeasuredCells.Remeasure remeasure;
        /** The Python the compiled mode compiles with (and the peer runs on). */
        String python;
        /** Where forks write their output images (--outputs); null for nowhere. */
        Path outputs;

        static Plan of(HarnessOptions o, HostEnvironment env, Path root) {
            Plan p = new Plan();
            p.root = root;
            if (o.runsPeer()) {
                PeerRunner.checkRuntimes(o.peerRuntimes);
            }
            String device = o.device != null ? DeviceKind.fromId(o.device).id() : env.gpu().isPresent() ? "gpu" : "cpu";
            if (device.equals("gpu") && env.gpu().isEmpty()) {
                throw new IllegalArgumentException("--device gpu, but nvidia-smi sees no GPU: run on a machine with an "
                        + "NVIDIA GPU and its driver, or leave --device out to run the CPU smoke matrix");
            }
            // the libtorch every fork runs on: DIFFBENCH_LIBTORCH, -Ddiffbench.engine.libtorch (e.g. through
            // mvn jmh:run), or for GPU cells python3's CUDA torch; none: DJL's own (or run-on-gpu-box.sh's setup)
            p.libtorch = LocalLibtorch.chosen(null);
            if (device.equals("gpu") && !o.peerOnly && p.libtorch == null && !LocalLibtorch.isConfigured(System.getenv())) {
                // DJL's libtorch on the class path (pytorch-native-cpu) has no CUDA: take the Python's, if it has CUDA
                PythonTorch torch = PythonTorch.of(o.python).filter(PythonTorch::hasCuda).orElseThrow(() ->
                        new IllegalArgumentException("GPU cells need a CUDA libtorch, and DJL's one on the class path "
                        + "(pytorch-native-cpu) has no CUDA, nor has " + o.python + " a CUDA torch: set " + LocalLibtorch.ENV
                        + " to a CUDA libtorch folder (with include/ and lib/), or pass -Ddevice=cpu"));
                p.libtorch = torch.dir();
                System.out.println("diffbench: " + LocalLibtorch.ENV + " not set: the GPU cells run on " + o.python + "'s torch "
                        + torch.version() + " (" + torch.dir() + "); the project's JNI is built against it once");
            }
            if (!device.equals("gpu") && !o.peerOnly && o.modes.stream().map(Mode::fromId).anyMatch(Mode::compilesAheadOfTime) && p.libtorch == null
                    && !LocalLibtorch.isConfigured(System.getenv())) {
                // compiled cells need the project's JNI on libtorch 2.8+: python3's torch serves, as for GPU cells
                Optional<PythonTorch> torch = PythonTorch.of(o.python).filter(PythonTorch::hasAotInductor);
                if (torch.isPresent()) {
                    p.libtorch = torch.get().dir();
                    System.out.println("diffbench: " + LocalLibtorch.ENV + " not set: the cells run on " + o.python + "'s torch "
                            + torch.get().version() + " (" + torch.get().dir() + "), which the compiled mode needs");
                } else {
                    System.out.println("diffbench: note: compiled cells need the project's JNI on libtorch 2.8+ and a python with "
                            + "that torch: set " + LocalLibtorch.ENV + " and -Dpython, or install torch for " + o.python
                            + " (pip install torch); without, they record why they cannot run");
                }
            }
            p.cpuSmoke = device.equals("cpu") && env.gpu().isEmpty();
            p.peerOnly = o.peerOnly;
            boolean tiny = o.tiny != null ? o.tiny : device.equals("cpu");
            List<String> dtypes = o.dtype != null ? o.dtype : List.of(Dtype.defaultOn(DeviceKind.fromId(device)).id());
            int steps = o.profile.steps(o.steps);
            int warmups = o.profile.warmups(o.warmups);
            int measurements = o.profile.measurements(o.measurements);
            p.timeoutSeconds = o.profile.cellTimeoutSeconds(o.cellTimeout);

            String emulate = "";
            long capMib = 0;
            if (o.emulate != null && !o.emulate.isBlank()) {
                GpuProfiles.GpuProfile card = GpuProfiles.load(root.resolve("gpu-profiles")).resolve(o.emulate);
                if (device.equals("cpu")) {
                    // rows would say "memory capped to emulate" a card whose cap no CPU run can apply
                    throw new IllegalArgumentException("--emulate caps GPU memory, and this run is on CPU: leave --emulate "
                            + "out, or run on a GPU");
                }
                emulate = card.slug();
                capMib = card.memoryMib();
            }
            InductorOptions.fromId(o.inductorOptions); // fails naming the valid sets
            p.settings = new CellRows.Settings(o.profile.name(), warmups, measurements, capMib, emulate, o.inductorOptions);
            p.python = o.python;
            p.outputs = o.outputs == null ? null : Path.of(o.outputs).toAbsolutePath();

            p.cells = new ArrayList<>();
            for (String pipeline : o.pipelines) {
                PipelineId.fromId(pipeline); // fails naming the valid ids
                for (int batch : o.batches) {
                    positive("batch", batch);
                    for (String mode : o.modes) {
                        Mode.fromId(mode); // each fails naming the valid ids
                        for (String attention : o.attention) {
                            Attention.fromId(attention);
                            for (String dtype : dtypes) {
                                Dtype.fromId(dtype);
                                Cell cell = new Cell(pipeline, batch, mode, attention, dtype, steps, tiny, device);
                                try {
                                    // what the fork would fail on, found before the first cell instead of in each
                                    if (!o.peerOnly) {
                                        Pipelines.checkSettings(cell.spec());
                                        HostMemory.check(cell.spec());
                                    }
                                } catch (UnsupportedOperationException e) {
                                    throw new IllegalArgumentException(cell + ": " + e.getMessage(), e);
                                }
                                p.cells.add(cell);
                            }
                        }
                    }
                }
            }
            checkProfilers(o.prof);
            p.faults = Faults.fromSystemProperties();
            p.faults.check(p.cells); // all of the run's cells: a --gpus shard has only some of them
            if (o.shard != null) {
                p.shard = o.shard;
                p.cells = shard(p.cells, o.shard);
            }
            // the GPU-box bundle names its CSV folder with -Ddiffbench.results (run-on-gpu-box.sh)
            Path resultsDir = System.getProperty(RESULTS_DIR_PROPERTY) != null
                    ? Path.of(System.getProperty(RESULTS_DIR_PROPERTY)) : root.resolve("results");
            p.csv = o.results != null ? root.resolve(o.results) : resultsDir.resolve(env.gpuSlug() + ".csv");
            p.json = JmhJsonFile.nextTo(p.csv);
            p.remeasure = MeasuredCells.Remeasure.parse(o.remeasure);
            return p;
        }

        /** "12 of 54 cells already measured, resuming": what a run skips, and how not to. */
        String resumeLine(int missing) {
            int measured = cells.size() - missing;
            String what = (shard == null ? "" : "shard " + shard + ": ") + (missing == 0
                    ? "all " + cells.size() + " cells already measured in " + csv + ", nothing to do"
                    : measured + " of " + cells.size() + " cells already measured in " + csv + ", "
                            + (missing == cells.size() ? "" : "resuming with ") + "the " + missing + " missing");
            return "diffbench: " + what + (measured > 0 ? " (" + OptionNames.typed("--remeasure") + (OptionNames.viaMaven() ? "=true" : "")
                    + " measures them again)" : "");
        }

        /**
         * Forks inherit this JVM's command line, but not properties set at run time (surefire's, or
         * by an embedding caller): pass DJL's and the JNI choice on explicitly, and the memory cap.
         */
        List<String> forkJvmArgs() {
            List<String> args = new ArrayList<>();
            System.getProperties().stringPropertyNames().stream().sorted()
                    .filter(k -> k.startsWith("ai.djl.") || k.equals(HostEnvironment.JNI_PROPERTY))
                    .forEach(k -> args.add("-D" + k + "=" + System.getProperty(k)));
            if (settings.memoryCapMib() > 0) {
                args.add("-D" + MemoryCapHook.PROPERTY + "=" + settings.memoryCapMib());
            }
            if (libtorch != null) {
                args.add("-D" + LocalLibtorch.PROPERTY + "=" + libtorch);
            }
            args.add(ParentWatch.childOption()); // a fork outlives no harness, however the harness ends
            // the compiled mode: which python compiles, with which Inductor options, or which folder of packages
            args.add("-D" + AotiCompiler.PYTHON_PROPERTY + "=" + python);
            args.add("-D" + InductorOptions.PROPERTY + "=" + settings.inductorOptions());
            if (outputs != null) {
                args.add("-D" + OutputDump.PROPERTY + "=" + outputs);
            }
            String packages = System.getProperty(AotiCompiler.PACKAGES_PROPERTY);
            if (packages != null && !packages.isBlank()) {
                args.add("-D" + AotiCompiler.PACKAGES_PROPERTY + "=" + packages);
            }
            return args;
        }

        String banner(HostEnvironment env) {
            StringBuilder b = new StringBuilder();
            if (cpuSmoke) {
                b.append("diffbench: no NVIDIA GPU (nvidia-smi found none): running the tiny-config matrix on CPU as a smoke test -> ")
                        .append(csv).append('\n');
            } else {
                b.append("diffbench: ").append(env.gpu().map(g -> g.name() + " (" + g.id() + ")").orElse("CPU")).append('\n');
            }
            if (!settings.emulate().isEmpty()) {
                b.append("diffbench: emulating ").append(settings.emulate()).append(": memory cap ")
                        .append(settings.memoryCapMib()).append(" MiB\n");
            }
            String what = (shard == null ? "" : "shard " + shard + ": ") + (peerOnly
                    ? "--peer-only, no JVM cells: " + PeerRunner.groups(cells).values().stream().mapToInt(List::size).sum()
                            + " PyTorch cells per runtime"
                    : cells.size() + " cells");
            b.append(String.format("diffbench: %s, profile %s, %d warm-up + %d measured calls each, cell timeout %d s",
                    what, settings.profile(), settings.warmups(), settings.measurements(), timeoutSeconds));
            if (settings.warmups() < 2 && cells.stream().anyMatch(c -> EngineMode.of(Mode.fromId(c.mode())).optimizesGraphs())) {
                b.append("\ndiffbench: note: with fewer than 2 warm-up calls, ts-profiling and cuda-graph cells optimise the text "
                        + "encoder and VAE inside their first measured call (seconds per call include it; it/s do not)");
            }
            if (settings.warmups() < 1 && cells.stream().anyMatch(c -> Mode.fromId(c.mode()).compilesAheadOfTime())) {
                b.append("\ndiffbench: note: without a warm-up call, compiled cells compile (or load) their packages inside "
                        + "the first measured call");
            }
            return b.toString();
        }

        /** A profiler JMH cannot start (unknown, or perf/async-profiler missing) is refused before the first cell. */
        private static void checkProfilers(List<String> profilers) {
            for (String p : profilers) {
                int colon = p.indexOf(':');
                ProfilerConfig config = colon < 0
                        ? new ProfilerConfig(p.trim())
                        : new ProfilerConfig(p.substring(0, colon).trim(), p.substring(colon + 1));
                try {
                    ProfilerFactory.getProfilerOrException(config);
                } catch (ProfilerException e) {
                    throw new IllegalArgumentException("--prof " + p + ": " + e.getMessage().strip()
                            + " (JMH's profilers: gc, stack, cl, comp, jfr, perfnorm, perfasm, async, ...)", e);
                }
            }
        }

        private static int positive(String name, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive, not " + v);
            }
            return v;
        }
    }
}
