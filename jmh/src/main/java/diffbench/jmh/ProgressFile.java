package diffbench.jmh;

import diffbench.schema.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code --progress=FILE}: one line a scheduler's status command reads while the run goes on,
 * {@code finished=F cells=N results=CSV} (F of this run's N cells have a finished row in CSV),
 * replaced by rename at the start and after every cell, so a reader never sees half a line.
 */
final class ProgressFile {

    private final Path file;
    private final int cells;
    private final Path csv;

    ProgressFile(Path file, int cells, Path csv) {
        this.file = file;
        this.cells = cells;
        this.csv = csv;
    }

    void write(int finished) throws IOException {
        Path tmp = AtomicFile.tempBeside(file);
        try {
            Files.writeString(tmp, "finished=" + finished + " cells=" + cells + " results=" + csv.toAbsolutePath() + "\n",
                    StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
