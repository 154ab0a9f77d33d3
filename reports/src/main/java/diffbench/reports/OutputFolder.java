package diffbench.reports;

import diffbench.schema.LockFile;
import org.apache.commons.io.FileUtils;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The report folder. It may be the Maven module's own folder, so only what the generator wrote is
 * ever removed: pages that start with {@link Pages#MARKER} and images under {@code charts/}.
 *
 * <p>A report is replaced whole or not at all: the new one is written into a hidden staging folder
 * inside the report folder ({@code .report-<random>.tmp}), and only once every page and chart is
 * there does {@link #commit()} remove the previous report and move the new one in (renames within
 * one file system). A failure before that leaves the previous report as it was.
 *
 * <p>Two reports written to one folder at once take turns: each holds a lock for the folder (a file
 * in the temp folder, named after the folder's real path) from its start to its commit, so neither
 * removes the other's staging folder nor interleaves its pages with the other's.
 */
final class OutputFolder {
    private static final String STAGING_GLOB = ".report-*.tmp";

    private final Path root;
    private final Path staging;
    private LockFile turn;

    /**
     * Creates the folder if absent, waits for any other report being written to it, and makes a
     * fresh staging folder in it (removing those of killed runs: with the turn held, no other is live).
     */
    OutputFolder(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
        this.turn = LockFile.hold(lockFile(root), () -> System.err.println(
                "diffbench-reports: another report is being written to " + root + "; waiting for it to finish"));
        try {
            try (DirectoryStream<Path> left = Files.newDirectoryStream(root, STAGING_GLOB)) {
                for (Path p : left) {
                    FileUtils.deleteDirectory(p.toFile());
                }
            }
            this.staging = root.resolve(".report-" + UUID.randomUUID() + ".tmp");
            Files.createDirectories(staging.resolve("charts"));
        } catch (IOException | RuntimeException e) {
            endTurn();
            throw e;
        }
    }

    /** The folder's lock file, outside it: a report folder may be a checked-in one. */
    static Path lockFile(Path root) throws IOException {
        String name = root.toRealPath().toString();
        return Path.of(System.getProperty("java.io.tmpdir"), "diffbench-report-" + Integer.toHexString(name.hashCode()) + ".lock");
    }

    /** Where charts are drawn until {@link #commit()}. */
    Path charts() {
        return staging.resolve("charts");
    }

    void write(String name, String content) throws IOException {
        Files.writeString(staging.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** Removes the previous report (stale GPUs and charts must not linger) and moves the new one in. */
    void commit() throws IOException {
        Files.createDirectories(root.resolve("charts"));
        try (Stream<Path> files = Files.list(root.resolve("charts"))) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && (name.endsWith(".png") || name.endsWith(".svg"))) {
                    Files.delete(p);
                }
            }
        }
        try (Stream<Path> files = Files.list(root)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && (name.endsWith(".html") || name.endsWith(".md")) && isGenerated(p)) {
                    Files.delete(p);
                }
            }
        }
        moveFiles(charts(), root.resolve("charts"));
        moveFiles(staging, root);
        FileUtils.deleteDirectory(staging.toFile());
        endTurn();
    }

    /** Drops the staged report: the previous one stays as it was. */
    void abandon() {
        try {
            FileUtils.deleteDirectory(staging.toFile());
        } catch (IOException ignored) {
            // a hidden folder the next run removes
        }
        endTurn();
    }

    /** Lets the next report for this folder start; once, whichever of commit and abandon comes first. */
    private void endTurn() {
        if (turn == null) {
            return;
        }
        try {
            turn.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock; the process's end would too
        } finally {
            turn = null;
        }
    }

    private static void moveFiles(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.move(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private static boolean isGenerated(Path p) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.ISO_8859_1)) {
            String first = r.readLine();
            return Pages.MARKER.equals(first);
        }
    }
}
