package diffbench.jmh;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import diffbench.schema.AtomicFile;
import diffbench.schema.JsonErrors;
import diffbench.schema.ResultsFileException;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;

/**
 * JMH's own JSON next to the CSV (`results/<gpu-slug>.jmh.json`), merged the same way: one entry per
 * cell that finished `ok`, replaced when the cell runs again, so it always matches the CSV's figures.
 * JMH writes the entries (its format, its NaN strings); this class only merges arrays of them.
 */
final class JmhJsonFile {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path file;

    JmhJsonFile(Path file) {
        this.file = file;
    }

    /** `results/x.csv` -> `results/x.jmh.json`. */
    static JmhJsonFile nextTo(Path csv) {
        String name = csv.getFileName().toString().replaceFirst("\\.csv$", "");
        return new JmhJsonFile(csv.resolveSibling(name + ".jmh.json"));
    }

    Path path() {
        return file;
    }

    /** Fails when the file exists but is not a JSON array (not ours: left untouched). */
    void check() throws IOException {
        read();
    }

    /** Drops the cell's old entries, adds the new ones (none for a cell that failed). */
    void merge(Cell cell, Collection<RunResult> results) throws IOException {
        try (AtomicFile.Lock lock = AtomicFile.lock(file)) {
            mergeLocked(cell, results);
        }
    }

    private void mergeLocked(Cell cell, Collection<RunResult> results) throws IOException {
        JsonArray all = read();
        JsonObject params = GSON.toJsonTree(cell.jmhParams()).getAsJsonObject();
        for (int i = all.size() - 1; i >= 0; i--) {
            JsonElement p = all.get(i).getAsJsonObject().get("params");
            if (params.equals(p)) {
                all.remove(i);
            }
        }
        if (!results.isEmpty()) {
            all.addAll(render(results));
        }
        Path tmp = AtomicFile.tempBeside(file);
        try {
            Files.writeString(tmp, GSON.toJson(all), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static JsonArray render(Collection<RunResult> results) throws IOException {
        Path tmp = Files.createTempFile("diffbench-jmh", ".json");
        try {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, tmp.toString()).writeOut(results);
            return JsonParser.parseString(Files.readString(tmp, StandardCharsets.UTF_8)).getAsJsonArray();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private JsonArray read() throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return new JsonArray();
        }
        JsonElement e;
        try {
            e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonParseException ex) {
            throw notOurs(JsonErrors.describe(ex), ex);
        }
        if (!e.isJsonArray()) {
            throw notOurs("not an array", null);
        }
        return e.getAsJsonArray();
    }

    private ResultsFileException notOurs(String why, Throwable cause) {
        return new ResultsFileException(file + " is not a JMH JSON result file (" + why
                + "); it was left untouched: move it away or choose another results file", cause);
    }
}
