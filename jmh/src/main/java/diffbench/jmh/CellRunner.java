package diffbench.jmh;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Runs one cell as one JMH run with one fork, under a wall-clock watchdog: JMH's own timeout only
 * interrupts the benchmark thread, which a call stuck in native code never notices, so the
 * watchdog kills the fork's process and the cell is recorded as `timeout`.
 */
final class CellRunner {

    static {
        // JMH's lock fails a second runner on the machine at once, which would record a cell that never ran as
        // `error`; CPU cells wait on CpuLock instead, GPU runs hold their card (CardLock). Read when Runner loads.
        System.setProperty("jmh.ignoreLock", "true");
    }

    /**
     * Everything a finished cell left: its outcome, JMH's result (ok cells), the fork's report.
     * {@code ran} is false when JMH's runner failed before the cell ran: no row may replace a finished one then.
     */
    record CellRun(Cell cell, CellOutcome outcome, Collection<RunResult> results, ForkReport.Content fork,
            long startedMillis, long endedMillis, Optional<GpuSampler.Summary> gpu, boolean ran) {

        /** "fork 0.4 s, load 1.2 s, warm-up 0.3 s, measured 0.9 s": where a cell's time went. */
        String timeline() {
            List<String> parts = new ArrayList<>();
            Long jvm = fork.jvmStartMillis;
            Long load = fork.mark(Phase.LOAD);
            Long firstWarmup = fork.mark(Phase.warmup(1));
            Long firstMeasured = fork.mark(Phase.measured(1));
            Long done = fork.mark(Phase.DONE);
            span(parts, "fork start", startedMillis, jvm);
            span(parts, "JMH set-up", jvm, load);
            span(parts, "load", load, firstWarmup != null ? firstWarmup : firstMeasured);
            span(parts, "warm-up", firstWarmup, firstMeasured);
            span(parts, "measured", firstMeasured, done);
            span(parts, "total", startedMillis, endedMillis);
            return String.join(", ", parts);
        }

        private static void span(List<String> parts, String name, Long from, Long to) {
            if (from != null && to != null) {
                parts.add(String.format("%s %.2f s", name, (to - from) / 1000.0));
            }
        }
    }

    /** slf4j-simple's level for DJL's CUDA probe: its warnings only matter where a GPU is expected. */
    static final String QUIET_CUDA_PROBE = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error";

    private final int warmups;
    private final int measurements;
    private final long timeoutSeconds;
    private final List<String> forkJvmArgs;
    private final Optional<List<String>> gpuSampling;
    private final Console console;

    /** JMH profilers as -prof names them ("gc", "async:libPath=..."), added to every cell's run. */
    private List<String> profilers = List.of();
    /** The fork's java, or a script that runs it under the --launcher command; null for JMH's default. */
    private Path jvm;

    CellRunner withProfilers(List<String> profilers) {
        this.profilers = List.copyOf(profilers);
        return this;
    }

    /**
     * Forks start under {@code launcher} (`nsys profile -o x`): JMH runs the fork with the java it is given,
     * so that is a script that execs the launcher with this JVM's java and JMH's arguments.
     */
    CellRunner withLauncher(String launcher) {
        if (launcher == null || launcher.isBlank()) {
            return this;
        }
        try {
            Path script = Files.createTempFile("diffbench-launcher", ".sh");
            script.toFile().deleteOnExit();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Files.writeString(script, "#!/bin/sh\nexec " + launcher + " '" + java.replace("'", "'\\''") + "' \"$@\"\n");
            if (!script.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + script + " executable");
            }
            this.jvm = script;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the launcher script", e);
        }
        return this;
    }

    /** @param gpuSampling the nvidia-smi command that samples the GPU while a cell runs; empty for none (CPU cells) */
    CellRunner(int warmups, int measurements, long timeoutSeconds, List<String> forkJvmArgs, Optional<List<String>> gpuSampling,
            Console console) {
        this.console = console;
        this.warmups = warmups;
        this.measurements = measurements;
        this.timeoutSeconds = timeoutSeconds;
        this.forkJvmArgs = forkJvmArgs;
        this.gpuSampling = gpuSampling;
    }

    /**
     * @param injectOom, injectHang this cell's fault injection phases (`warmup:1`, ...) or "none"
     * @param watch told the fork's report file, whose phase marks it shows while the cell runs
     */
    CellRun run(Cell cell, String injectOom, String injectHang, RunProgress.Watch watch) {
        CpuLock cpu = null;
        try {
            if (cell.device().equals("cpu")) {
                cpu = CpuLock.take(m -> System.out.println("diffbench: " + m));
            }
            return runHeld(cell, injectOom, injectHang, watch);
        } catch (IOException e) {
            long now = System.currentTimeMillis();
            return new CellRun(cell, CellOutcome.error("cannot take " + CpuLock.file() + ": " + e.getMessage()), List.of(),
                    new ForkReport.Content(), now, now, Optional.empty(), false);
        } finally {
            if (cpu != null) {
                try {
                    cpu.close();
                } catch (IOException ignored) {
                    // closing the channel releases the lock whatever close says
                }
            }
        }
    }

    private CellRun runHeld(Cell cell, String injectOom, String injectHang, RunProgress.Watch watch) {
        Path reportFile = tempFile();
        watch.follow(reportFile);
        IterationTracker tracker = new IterationTracker(OutputFormatFactory.createFormatInstance(console, VerboseMode.NORMAL));
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "diffbench-cell-watchdog");
            t.setDaemon(true);
            return t;
        });
        long started = System.currentTimeMillis();
        Collection<RunResult> results = List.of();
        String runnerError = null;
        Optional<GpuSampler> sampler = gpuSampling.flatMap(GpuSampler::start);
        try {
            ScheduledFuture<?> kill = watchdog.schedule(() -> {
                timedOut.set(true);
                killForks();
            }, timeoutSeconds, TimeUnit.SECONDS);
            try {
                results = new Runner(options(cell, reportFile, injectOom, injectHang), tracker).run();
            } catch (RunnerException e) {
                runnerError = e.getMessage();
            } finally {
                kill.cancel(false);
            }
            ForkReport.Content fork = ForkReport.read(reportFile);
            RunResult result = results.isEmpty() ? null : results.iterator().next();
            CellOutcome outcome = runnerError != null
                    ? CellOutcome.error("JMH runner: " + runnerError)
                    : OutcomeClassifier.classify(timedOut.get(), timeoutSeconds, fork, tracker, result, measurements);
            // the GPU while the measured calls ran (from the fork's marks, on this machine's clock)
            Optional<GpuSampler.Summary> gpu = sampler.flatMap(s -> fork.measuredWindow(System.currentTimeMillis())
                    .flatMap(w -> s.summary(w.from(), w.to())));
            return new CellRun(cell, outcome, outcome.ok() ? results : List.of(), fork, started, System.currentTimeMillis(), gpu,
                    runnerError == null);
        } finally {
            sampler.ifPresent(GpuSampler::close);
            watchdog.shutdownNow();
            try {
                Files.deleteIfExists(reportFile);
                Files.deleteIfExists(reportFile.resolveSibling(reportFile.getFileName() + ".tmp"));
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    private Options options(Cell cell, Path reportFile, String injectOom, String injectHang) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + Pattern.quote(PipelineBenchmark.class.getName() + ".call") + "$")
                .mode(Mode.SingleShotTime)
                .timeUnit(TimeUnit.SECONDS)
                .forks(1)
                .warmupIterations(warmups)
                .warmupBatchSize(1)
                .measurementIterations(measurements)
                .measurementBatchSize(1)
                // our watchdog acts first; JMH's interrupt is only a polite early attempt
                .timeout(TimeValue.seconds(timeoutSeconds + 60))
                .shouldFailOnError(false)
                .addProfiler(CallTimingsProfiler.class);
        cell.jmhParams().forEach(b::param);
        for (String p : profilers) {
            int colon = p.indexOf(':');
            if (colon < 0) {
                b.addProfiler(p.trim());
            } else {
                b.addProfiler(p.substring(0, colon).trim(), p.substring(colon + 1));
            }
        }
        if (jvm != null) {
            b.jvm(jvm.toString());
        }
        List<String> jvm = new ArrayList<>(forkJvmArgs);
        jvm.add("-D" + ForkReport.PATH_PROPERTY + "=" + reportFile);
        if (cell.device().equals("cpu")) {
            // DJL probes CUDA on every start and warns when a CUDA runtime without a driver is found: no news to a CPU cell
            jvm.add("-D" + QUIET_CUDA_PROBE);
        }
        // given last, so they override anything inherited from the harness's own command line
        jvm.add("-D" + FaultInjection.OOM + "=" + injectOom);
        jvm.add("-D" + FaultInjection.HANG + "=" + injectHang);
        b.jvmArgsAppend(jvm.toArray(String[]::new));
        return b.build();
    }

    /** The JMH fork is a child of this JVM; kill it and anything it started. */
    private static void killForks() {
        ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains("org.openjdk.jmh.runner.ForkedMain")).orElse(true))
                .forEach(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("diffbench-fork", ".json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
