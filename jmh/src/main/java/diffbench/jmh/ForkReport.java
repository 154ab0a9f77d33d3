package diffbench.jmh;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark's own phase marker: a small JSON file the fork rewrites at every phase change and
 * on failure. It tells the harness what JMH cannot: whether a failure in the first iteration was
 * the pipeline load, the exception's message, and the engine versions the fork actually ran. If
 * the fork dies without a word (native abort, watchdog kill), the last phase written is where.
 */
final class ForkReport {

    static final String PATH_PROPERTY = "diffbench.forkReport";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** What the file holds. */
    static final class Content {
        String phase = Phase.LOAD.toString();
        String failure;
        boolean failureIsOom;
        /** Epoch millis when each phase began, and the fork JVM's own start ("jvm"). */
        Map<String, Long> marks = new LinkedHashMap<>();
        /** The engine the fork loaded; null until it has (a fork may die first). */
        EngineVersions engine;
        /** Peak device memory over the warm-up calls so far; -1 until one finished with a figure. */
        long warmupPeakMemoryBytes = -1;
        /** The compiled mode's compile step so far: seconds compiling, where packages came from; null for none. */
        double compileSeconds;
        String compileCache;

        Phase phase() {
            return Phase.parse(phase);
        }
    }

    private final Path file;
    private final Content content = new Content();

    private ForkReport(Path file) {
        this.file = file;
    }

    /** The report named by the harness, or one that writes nowhere when run outside it. */
    static ForkReport fromSystemProperty() {
        String path = System.getProperty(PATH_PROPERTY);
        return new ForkReport(path == null ? null : Path.of(path));
    }

    void mark(String name, long epochMillis) {
        content.marks.put(name, epochMillis);
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
    void compile(diffbench.runtime.CompileRecord record) {
        if (record.cache().isEmpty() || record.cache().equals(content.compileCache) && record.compileSeconds() == content.compileSeconds) {
            return;
        }
        content.compileSeconds = record.compileSeconds();
        content.compileCache = record.cache();
        write();
    }

    void phase(Phase phase) {
        content.phase = phase.toString();
        content.marks.putIfAbsent(phase.toString(), System.currentTimeMillis());
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
