package diffbench.reports;

import java.io.IOException;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The report folder. It may be the Maven module's own folder, so only what the generator wrote is
 * ever removed: pages that start with {@link Pages#MARKER} and images under {@code charts/}.
 */
final class OutputFolder {
    private final Path root;

    OutputFolder(Path root) {
        this.root = root;
    }

    Path charts() {
        return root.resolve("charts");
    }

    /** Removes the previous report (stale GPUs and charts must not linger) and creates the folders. */
    void clear() throws IOException {
        Files.createDirectories(charts());
        try (Stream<Path> files = Files.list(charts())) {
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
    }

    void write(String name, String content) throws IOException {
        Files.writeString(root.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static boolean isGenerated(Path p) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.ISO_8859_1)) {
            String first = r.readLine();
            return Pages.MARKER.equals(first);
        }
    }
}
