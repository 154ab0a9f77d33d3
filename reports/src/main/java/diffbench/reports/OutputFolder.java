package diffbench.reports;

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
 */
final class OutputFolder {
    private static final String STAGING_GLOB = ".report-*.tmp";

    private final Path root;
    private final Path staging;

    /** Creates the folder if absent and a fresh staging folder in it (removing those of killed runs). */
    OutputFolder(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
        try (DirectoryStream<Path> left = Files.newDirectoryStream(root, STAGING_GLOB)) {
            for (Path p : left) {
                FileUtils.deleteDirectory(p.toFile());
            }
        }
        this.staging = root.resolve(".report-" + UUID.randomUUID() + ".tmp");
        Files.createDirectories(staging.resolve("charts"));
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
    }

    /** Drops the staged report: the previous one stays as it was. */
    void abandon() {
        try {
            FileUtils.deleteDirectory(staging.toFile());
        } catch (IOException ignored) {
            // a hidden folder the next run removes
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
