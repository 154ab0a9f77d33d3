package diffbench.schema;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The temp files behind atomic replacement (write beside the target, then rename). A run killed
 * between the two leaves its temp behind; the names tell which target it was for
 * ({@code .<target name>.<random>.tmp}, as peer/results_csv.py names its own), so the next run can
 * sweep them without touching anything else in the folder.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /** A new empty temp file in the target's folder (created if absent), named after the target. */
    public static Path tempBeside(Path target) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        return Files.createTempFile(folder, "." + target.getFileName() + ".", ".tmp");
    }

    /** Deletes temps an earlier, killed writer of this target left behind; returns what it deleted. */
    public static List<Path> removeLeftovers(Path target) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return removed;
        }
        String glob = "." + escapeGlob(target.getFileName().toString()) + ".*.tmp";
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(folder, glob)) {
            for (Path p : leftovers) {
                if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
                    removed.add(p);
                }
            }
        }
        return removed;
    }

    private static String escapeGlob(String name) {
        return name.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }
}
