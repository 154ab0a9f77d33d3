package diffbench.jmh;

import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lines a person watching a run reads: which cell of how many, where its fork is (from the fork's
 * own {@link ForkReport} marks), how long the cell and the run have taken, and an ETA from the cells
 * this run has finished; one line per finished cell with its it/s, peak memory and outcome, and a
 * closing table. A matrix on a GPU takes hours, and a single SDXL batch-16 cell minutes.
 */
final class RunProgress {

    /** Seconds between heartbeat lines while a phase goes on (tests shorten it). */
    static final String HEARTBEAT_PROPERTY = "diffbench.heartbeatSeconds";
    private static final long DEFAULT_HEARTBEAT_SECONDS = 30;
    /** How often the fork's report is looked at for a change of phase. */
    private static final long POLL_MILLIS = 250;

    private final Console out;
    private final int total;
    private final int warmups;
    private final int measurements;
    private final boolean labelAttention;
    private final boolean labelDtype;
    private final long heartbeatMillis;
    private final long runStart = System.currentTimeMillis();
    /** Cells accounted for: measured before this run, skipped, or finished in it. */
    private int accounted;
    private int ranHere;
    private long ranHereMillis;
    private final List<String[]> summary = new ArrayList<>();

    RunProgress(Console out, List<Cell> cells, int alreadyMeasured, int warmups, int measurements) {
        this.out = out;
        this.total = cells.size();
        this.accounted = alreadyMeasured;
        this.warmups = warmups;
        this.measurements = measurements;
        this.labelAttention = cells.stream().map(Cell::attention).distinct().count() > 1;
        this.labelDtype = cells.stream().map(Cell::dtype).distinct().count() > 1;
        this.heartbeatMillis = 1000 * Long.getLong(HEARTBEAT_PROPERTY, DEFAULT_HEARTBEAT_SECONDS);
    }

    /** "sdxl-txt2img b16 compiled": the axes a run varies (attention and dtype only where it varies them). */
    String label(Cell cell) {
        return cell.pipeline() + " b" + cell.batch() + " " + cell.mode() + (labelAttention ? " " + cell.attention() : "")
                + (labelDtype ? " " + cell.dtype() : "");
    }

    /** A cell another run measured meanwhile: it counts as done, and not in the ETA. */
    void skipped(Cell cell, String why) {
        accounted++;
        out.line(prefix() + label(cell) + "  skipped: " + why);
    }

    /** Follows one cell from its start until {@link Watch#close()}: phase changes and heartbeats. */
    Watch start(Cell cell) {
        return new Watch(cell);
    }

    /** The finished cell's line; {@code rows} are what was merged (one per IF stage, none when it did not run). */
    void finished(Cell cell, CellOutcome outcome, List<ResultRow> rows, long millis, boolean countsAsDone) {
        ranHere++;
        ranHereMillis += millis;
        if (countsAsDone) {
            accounted++;
        }
        String its = its(rows);
        String peak = peakMib(rows).stream().mapToObj(p -> String.format("%.0f MiB", p)).findFirst().orElse("—");
        String result = outcome.outcome() + (outcome.ok() ? "" : " (" + firstLine(outcome.message()) + ")");
        out.line("[" + Math.min(accounted + (countsAsDone ? 0 : 1), total) + "/" + total + "] " + label(cell) + "  "
                + result + "  " + its + "  peak " + peak + "  " + duration(millis) + "  " + runClock(0));
        summary.add(new String[] {outcome.outcome().toString(), its, peak, duration(millis), label(cell)});
    }

    /** A cell JMH's runner could not start: no row, not done. */
    void notRun(Cell cell, String why) {
        out.line(prefix() + label(cell) + "  not run (" + why + ")");
        summary.add(new String[] {"not run", "—", "—", "—", label(cell)});
    }

    /** The closing table, and how to see the report. */
    void close(Path csv, Path root) {
        if (summary.isEmpty()) {
            return;
        }
        out.line("diffbench: ran " + ranHere + " of " + total + " cells in " + duration(System.currentTimeMillis() - runStart)
                + " -> " + csv);
        String format = "  %-20s %-32s %-10s %-10s %s%n";
        out.line(String.format(format, "outcome", "it/s", "peak", "time", "cell").stripTrailing());
        summary.forEach(r -> out.line(String.format(format, (Object[]) r).stripTrailing()));
        out.line("diffbench: report: " + reportCommand(csv, root));
    }

    /** The command that renders tables and charts from this run's results folder. */
    static String reportCommand(Path csv, Path root) {
        Path folder = csv.toAbsolutePath().getParent();
        String results = folder.equals(root.resolve("results")) ? "" : " --results " + folder;
        Path jar = root.resolve("reports/target/diffbench-reports.jar");
        String build = Files.isRegularFile(jar) ? "" : "mvn -q -pl reports -am package -DskipTests && ";
        return build + "java -jar " + root.relativize(jar) + results;
    }

    private String prefix() {
        return "[" + Math.min(accounted + 1, total) + "/" + total + "] ";
    }

    /** "(run 41 min, ETA ~1 h 20 min)": the ETA takes the mean of this run's cells for each one left. */
    private String runClock(long currentCellMillis) {
        String run = "run " + duration(System.currentTimeMillis() - runStart);
        if (ranHere == 0) {
            return "(" + run + ")";
        }
        long left = (long) ((double) ranHereMillis / ranHere * (total - accounted)) - currentCellMillis;
        return "(" + run + ", ETA ~" + duration(Math.max(left, 0)) + ")";
    }

    /** "3.21 it/s", or per IF stage "I 3.2, II 1.1, III 0.52 it/s"; "—" without a figure. */
    private static String its(List<ResultRow> rows) {
        List<String> figures = new ArrayList<>();
        for (ResultRow r : rows) {
            OptionalDouble v = r.decimal(ResultColumn.ITS_MEAN);
            if (v.isPresent()) {
                figures.add((r.stage() == null || r.stage().isEmpty() ? "" : r.stage() + " ") + String.format("%.3g", v.getAsDouble()));
            }
        }
        return figures.isEmpty() ? "—" : String.join(", ", figures) + " it/s";
    }

    private static OptionalDouble peakMib(List<ResultRow> rows) {
        return rows.stream().map(r -> r.decimal(ResultColumn.PEAK_MEMORY_MIB)).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).max();
    }

    private static String firstLine(String s) {
        String line = s == null ? "" : s.lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }

    /** "12 s", "3 min 10 s", "1 h 20 min". */
    static String duration(long millis) {
        long s = Math.round(millis / 1000.0);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        long min = Math.round(s / 60.0);
        return min / 60 + " h" + (min % 60 == 0 ? "" : " " + min % 60 + " min");
    }

    /** One cell's watcher: prints when the fork's phase changes, and every heartbeat while it does not. */
    final class Watch implements AutoCloseable {
        private final Cell cell;
        private final long started = System.currentTimeMillis();
        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "diffbench-progress");
            t.setDaemon(true);
            return t;
        });
        private volatile Path report;
        private String shownPhase;
        private long shownAt;

        private Watch(Cell cell) {
            this.cell = cell;
            poll();
            poller.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }

        /** The fork's report file, once the cell has one. */
        void follow(Path forkReport) {
            this.report = forkReport;
        }

        private synchronized void poll() {
            String phase = phase();
            long now = System.currentTimeMillis();
            if (!phase.equals(shownPhase) || now - shownAt >= heartbeatMillis) {
                shownPhase = phase;
                shownAt = now;
                out.line(prefix() + label(cell) + "  " + phase + "  " + duration(now - started) + "  " + runClock(now - started));
            }
        }

        /** "load", "warm-up 2/2", "measured 1/3", from the fork's last mark. */
        private String phase() {
            Path file = report;
            if (file == null) {
                return "starting the fork";
            }
            ForkReport.Content fork;
            try {
                fork = ForkReport.read(file);
            } catch (RuntimeException e) {
                return shownPhase == null ? "starting" : shownPhase; // read between the fork's writes: try again next poll
            }
            if (!fork.started()) {
                return "starting the fork";
            }
            Phase p = fork.phase();
            return switch (p.kind()) {
                case load -> "load";
                case warmup -> "warm-up " + p.n() + "/" + warmups;
                case iteration -> "measured " + p.n() + "/" + measurements;
                case done -> "done";
            };
        }

        @Override
        public void close() {
            poller.shutdownNow();
            try {
                poller.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
