package diffbench.schema;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One row of a results CSV: every column as the text the file holds (empty = not measured), with
 * typed getters for what readers use, plus any columns the schema does not know (added by hand),
 * kept so that merging never drops them. Immutable; build one with {@link #builder()}.
 */
public final class ResultRow {

    /** The identity of a benchmark cell: the values of {@link ResultColumn#CELL_KEY}, in that order. */
    public record CellKey(List<String> values) {
        public CellKey {
            values = List.copyOf(values);
        }
    }

    private final Map<ResultColumn, String> cells;
    private final Map<String, String> extra;

    private ResultRow(Map<ResultColumn, String> cells, Map<String, String> extra) {
        EnumMap<ResultColumn, String> copy = new EnumMap<>(ResultColumn.class);
        for (ResultColumn c : ResultColumn.values()) {
            String v = cells.get(c);
            copy.put(c, v == null ? "" : v);
        }
        this.cells = Collections.unmodifiableMap(copy);
        // like an empty schema cell, an empty extra one holds nothing: equal rows whether read or built
        Map<String, String> kept = new LinkedHashMap<>(extra);
        kept.values().removeIf(v -> v == null || v.isEmpty());
        this.extra = Collections.unmodifiableMap(kept);
    }

    /** A row from raw cells; columns not given are empty. Validate with {@link #problems()}. */
    public static ResultRow of(Map<ResultColumn, String> cells) {
        return new ResultRow(cells, Map.of());
    }

    /** A row as read from a file: its cells and, by header name, the columns the schema does not know. */
    public static ResultRow of(Map<ResultColumn, String> cells, Map<String, String> extra) {
        for (String name : extra.keySet()) {
            if (ResultColumn.fromHeader(name).isPresent()) {
                throw new IllegalArgumentException("'" + name + "' is a schema column, not an extra one");
            }
        }
        return new ResultRow(cells, extra);
    }

    /** A builder whose schema_version is already the current one. */
    public static Builder builder() {
        return new Builder().set(ResultColumn.SCHEMA_VERSION_COLUMN, ResultColumn.SCHEMA_VERSION);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.cells.putAll(cells);
        b.extra.putAll(extra);
        return b;
    }

    /** The raw text of a column, "" when empty. */
    public String get(ResultColumn column) {
        return cells.get(column);
    }

    /** All cells in column order. */
    public Map<ResultColumn, String> cells() {
        return cells;
    }

    /**
     * Columns the schema does not know, by header name in file order, non-empty values only (a column
     * empty in every row is not written back); empty for rows the harness writes.
     */
    public Map<String, String> extra() {
        return extra;
    }

    /** The cell this row belongs to; the rows of one cell differ only in {@code stage} and figures. */
    public CellKey cellKey() {
        List<String> values = new ArrayList<>(ResultColumn.CELL_KEY.size());
        for (ResultColumn c : ResultColumn.CELL_KEY) {
            values.add(cells.get(c));
        }
        return new CellKey(values);
    }

    public OptionalDouble decimal(ResultColumn column) {
        String v = cells.get(column);
        return v.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(v));
    }

    public OptionalInt integer(ResultColumn column) {
        String v = cells.get(column);
        return v.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
    }

    public int schemaVersion() { return integer(ResultColumn.SCHEMA_VERSION_COLUMN).orElse(0); }
    public String gpuSlug() { return get(ResultColumn.GPU_SLUG); }
    public String gpuName() { return get(ResultColumn.GPU_NAME); }
    public String libtorch() { return get(ResultColumn.LIBTORCH); }
    public String jni() { return get(ResultColumn.JNI); }
    public String runtime() { return get(ResultColumn.RUNTIME); }
    public String device() { return get(ResultColumn.DEVICE); }
    public boolean isCpu() { return "cpu".equals(device()); }
    public String pipeline() { return get(ResultColumn.PIPELINE); }
    public String stage() { return get(ResultColumn.STAGE); }
    public int batch() { return integer(ResultColumn.BATCH).orElse(0); }
    public String mode() { return get(ResultColumn.MODE); }
    public String attention() { return get(ResultColumn.ATTENTION); }
    public String dtype() { return get(ResultColumn.DTYPE); }
    public String modelSize() { return get(ResultColumn.MODEL_SIZE); }
    public String resolution() { return get(ResultColumn.RESOLUTION); }
    public OptionalInt steps() { return integer(ResultColumn.STEPS); }
    public String emulate() { return get(ResultColumn.EMULATE); }
    public OptionalInt memoryCapMib() { return integer(ResultColumn.MEMORY_CAP_MIB); }
    public Outcome outcome() { return Outcome.parse(get(ResultColumn.OUTCOME)); }
    public String errorMessage() { return get(ResultColumn.ERROR_MESSAGE); }
    public OptionalDouble itsMean() { return decimal(ResultColumn.ITS_MEAN); }
    public OptionalDouble itsStddev() { return decimal(ResultColumn.ITS_STDDEV); }
    public OptionalDouble secondsPerCallMean() { return decimal(ResultColumn.SECONDS_PER_CALL_MEAN); }
    public OptionalDouble peakMemoryMib() { return decimal(ResultColumn.PEAK_MEMORY_MIB); }
    public OptionalDouble denoiserTflops() { return decimal(ResultColumn.DENOISER_TFLOPS); }

    public Optional<Instant> time() {
        String v = get(ResultColumn.TIME);
        return v.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(v));
    }

    /**
     * What is wrong with this row's cells, one message per problem (empty when valid): numbers that
     * do not parse, an unknown outcome, a bad time, a missing schema version or outcome.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (ResultColumn c : ResultColumn.values()) {
            String v = cells.get(c);
            if (v.isEmpty()) {
                continue;
            }
            try {
                switch (c.kind()) {
                    case INTEGER: Integer.parseInt(v); break;
                    case DECIMAL: Double.parseDouble(v); break;
                    case OUTCOME: Outcome.parse(v); break;
                    default: break;
                }
            } catch (IllegalArgumentException e) {
                problems.add("column " + c + ": " + describe(c, v, e));
            }
        }
        try {
            time();
        } catch (DateTimeParseException e) {
            problems.add("column time: '" + get(ResultColumn.TIME) + "' is not an ISO-8601 UTC instant");
        }
        for (ResultColumn required : List.of(ResultColumn.SCHEMA_VERSION_COLUMN, ResultColumn.OUTCOME)) {
            if (cells.get(required).isEmpty()) {
                problems.add("column " + required + " is empty");
            }
        }
        return problems;
    }

    private static String describe(ResultColumn c, String v, IllegalArgumentException e) {
        if (c.kind() == ResultColumn.Kind.OUTCOME) {
            return e.getMessage();
        }
        return "'" + v + "' is not " + (c.kind() == ResultColumn.Kind.INTEGER ? "an integer" : "a number");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultRow r && r.cells.equals(cells) && r.extra.equals(extra);
    }

    @Override
    public int hashCode() {
        return 31 * cells.hashCode() + extra.hashCode();
    }

    @Override
    public String toString() {
        return "ResultRow" + cells + (extra.isEmpty() ? "" : " + " + extra);
    }

    /** Collects cells; values are stored as text (numbers via {@code toString}, null as empty). */
    public static final class Builder {
        private final Map<ResultColumn, String> cells = new EnumMap<>(ResultColumn.class);
        private final Map<String, String> extra = new LinkedHashMap<>();

        public Builder set(ResultColumn column, Object value) {
            cells.put(column, value == null ? "" : value.toString());
            return this;
        }

        public Builder outcome(Outcome outcome) {
            return set(ResultColumn.OUTCOME, outcome.id());
        }

        public ResultRow build() {
            return new ResultRow(cells, extra);
        }
    }
}
