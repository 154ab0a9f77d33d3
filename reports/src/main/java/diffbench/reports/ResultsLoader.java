package diffbench.reports;

import diffbench.schema.ResultRow;
import diffbench.schema.ResultsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads every results CSV under a folder; a bad file stops the report with the schema's file:line error,
 * and so does a folder that is not there (an empty one is a report of no results).
 */
final class ResultsLoader {

    /** @param sourcesBySlug the files each GPU's rows came from, as shown on its page */
    record Loaded(List<ResultRow> rows, Map<String, Set<String>> sourcesBySlug) {
    }

    private ResultsLoader() {
    }

    static Loaded load(Path folder) throws IOException {
        List<ResultRow> rows = new ArrayList<>();
        Map<String, Set<String>> sources = new HashMap<>();
        if (!Files.isDirectory(folder)) {
            // a mistyped --results, or the tool run from another folder: "0 rows" would replace a real report
            throw new IOException(folder.toAbsolutePath().normalize() + (Files.exists(folder) ? " is a file, not a folder"
                    : " does not exist") + ": give the folder of results CSVs with --results DIR (the checkout's results/)");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            // hidden files include the harness's temp files of an interrupted atomic write
            files = walk.filter(p -> p.getFileName().toString().endsWith(".csv"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            // shown relative to the results folder's name, so a committed report names no local paths
            String shown = Path.of(String.valueOf(folder.toAbsolutePath().normalize().getFileName()))
                    .resolve(folder.relativize(file)).toString();
            for (ResultRow r : ResultsFile.read(file)) {
                rows.add(r);
                sources.computeIfAbsent(Pages.fileSlug(r.gpuSlug()), k -> new TreeSet<>()).add(shown);
            }
        }
        return new Loaded(rows, sources);
    }
}
