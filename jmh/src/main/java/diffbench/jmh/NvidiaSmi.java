package diffbench.jmh;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** The GPU as `nvidia-smi` reports it; absent when there is no nvidia-smi or no GPU. */
final class NvidiaSmi {

    record Gpu(String name, long memoryMib, String driver) {}

    static final List<String> QUERY = List.of("nvidia-smi",
            "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader,nounits");

    private NvidiaSmi() {}

    /** The first GPU (the one a pipeline uses by default). */
    static Optional<Gpu> query() {
        // no nvidia-smi on the PATH (or it failed): no NVIDIA GPU here
        return ShortCommand.output(QUERY, 30).flatMap(NvidiaSmi::parse);
    }

    /** Parses `name, memory.total, driver_version` lines; fields are separated by ", ". */
    static Optional<Gpu> parse(String csv) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        try (CSVParser parser = format.parse(new StringReader(csv))) {
            for (CSVRecord r : parser) {
                if (r.size() < 3) {
                    continue;
                }
                return Optional.of(new Gpu(r.get(0), memory(r.get(1)), value(r.get(2))));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long memory(String field) {
        String v = value(field);
        return v.isEmpty() ? -1 : Long.parseLong(v);
    }

    /** nvidia-smi writes `[N/A]` or `[Not Supported]` for what it cannot tell. */
    private static String value(String field) {
        return field.startsWith("[") ? "" : field;
    }
}
