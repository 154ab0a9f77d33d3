package diffbench.jmh;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import diffbench.runtime.CompileRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fork's record of its cell: a small JSON file the fork rewrites at every phase change, measured
 * call and failure, and the harness reads (rows, progress lines, outcome, GPU samples window). It
 * holds each measured call's figures ({@link CallFigures}) and what JMH cannot tell: whether a failure
 * in the first iteration was the pipeline load, the exception's message, and the engine versions the
 * fork actually ran. If the fork dies without a word (native abort, watchdog kill), the last phase
 * written is where.
 */
final class ForkReport {

    static final String PATH_PROPERTY = "diffbench.forkReport";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
            .serializeSpecialFloatingPointValues().create(); // a TFLOP/s the runtime cannot tell is NaN

    /** What the file holds: the one record per cell the fork writes and the harness reads. */
    static final class Content {
        String phase = Phase.LOAD.toString();
        String failure;
        boolean failureIsOom;
        /** The fork JVM's own start, epoch millis; null until the fork reported it. */
        Long jvmStartMillis;
        /** Epoch millis when each phase began, by the phase's text (load, warmup:1, iteration:1, done). */
        private Map<String, Long> marks = new LinkedHashMap<>();
        /** The engine the fork loaded; null until it has (a fork may die first). */
        EngineVersions engine;
        /** Peak device memory over the warm-up calls so far; -1 until one finished with a figure. */
        long warmupPeakMemoryBytes = -1;
        /** The compiled mode's compile step so far: seconds compiling, where packages came from; null for none. */
        double compileSeconds;
        String compileCache;
        /** The measured calls' figures so far, in call order. */
        List<CallFigures> calls = new ArrayList<>();

        Phase phase() {
            return Phase.parse(phase);
        }

        /** When {@code phase} began (epoch millis), or null when the fork did not reach it. */
        Long mark(Phase phase) {
            return marks.get(phase.toString());
        }

        /** Records when {@code phase} began; the first mark of a phase stands. */
        void mark(Phase phase, long epochMillis) {
            marks.putIfAbsent(phase.toString(), epochMillis);
        }

        /** Whether the fork has written anything yet. */
        boolean started() {
            return jvmStartMillis != null || !marks.isEmpty();
        }

        /**
         * The measured calls' span on this machine's clock (first measured call to done, or to {@code now}
         * while the fork is still in them or died there); empty when the fork measured no call.
         */
        Optional<Window> measuredWindow(long now) {
            Long from = mark(Phase.measured(1));
            if (from == null) {
                return Optional.empty();
            }
            Long to = mark(Phase.DONE);
            return Optional.of(new Window(from, to != null ? to : now));
        }
    }

    /** A span of epoch millis. */
    record Window(long from, long to) {}

    private final Path file;
    private final Content content = new Content();

    private ForkReport(Path file) {
        this.file = file;
    }

    /** The report named by the harness, or one that writes nowhere when run outside it. */
    static ForkReport fromSystemProperty() {
        String path = System.getProperty(PATH_PROPERTY);
        return at(path == null ? null : Path.of(path));
    }

    /** The report written to {@code file}; null for nowhere. */
    static ForkReport at(Path file) {
        return new ForkReport(file);
    }

    void jvmStarted(long epochMillis) {
        content.jvmStartMillis = epochMillis;
        write();
    }

    void engine(EngineVersions engine) {
        content.engine = engine;
        write();
    }

    /** A finished warm-up call's peak memory (-1: the runtime cannot tell); the report keeps the highest. */
    void warmupPeak(long bytes) {
        if (bytes > content.warmupPeakMemoryBytes) {
            content.warmupPeakMemoryBytes = bytes;
            write();
        }
    }

    /** What compiling cost the cell so far (written when it changes). */
    void compile(CompileRecord record) {
        if (record.cache().isEmpty() || record.cache().equals(content.compileCache) && record.compileSeconds() == content.compileSeconds) {
            return;
        }
        content.compileSeconds = record.compileSeconds();
        content.compileCache = record.cache();
        write();
    }

    void phase(Phase phase) {
        content.phase = phase.toString();
        content.mark(phase, System.currentTimeMillis());
        write();
    }

    /** A measured call's figures, appended to the cell's record. */
    void measured(CallFigures call) {
        content.calls.add(call);
        write();
    }

    void failed(Throwable t) {
        content.failure = t.getClass().getName() + ": " + t.getMessage();
        content.failureIsOom = OomClassifier.isOom(t);
        write();
    }

    private void write() {
        if (file == null) {
            return;
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, GSON.toJson(content), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fork report " + file, e);
        }
    }

    /** Reads what a fork wrote; empty content when it wrote nothing (died before loading). */
    static Content read(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                return new Content();
            }
            Content c = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Content.class);
            return c == null ? new Content() : c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fork report " + file, e);
        }
    }
}
