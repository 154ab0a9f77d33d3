package diffbench.jmh;

import diffbench.schema.Outcome;
import diffbench.schema.PipelineId;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which cells of a run the results file already holds a finished measurement of, so that a run
 * continues where an interrupted one stopped instead of starting again from the first cell.
 *
 * <p>An earlier measurement stands for this run's cell when its rows have the cell key this run
 * would write (card, runtime, libtorch, JNI, device, pipeline, batch, mode, attention, dtype, model
 * size, steps, memory cap, emulated card) and the same {@link #COMPARABLE} columns, and the cell
 * ended: {@code ok} with a row for every stage (IF writes three), an OOM, or {@code error}. A
 * {@code timeout} was cut off mid-way and runs again, as does a cell with stages missing.
 */
final class MeasuredCells {

    /**
     * Beyond the cell key, what else must match for an earlier row to count as this run's: the DJL
     * version (its Java engine sits in every call) and the calls measured, which change what a
     * figure averages over. Not the commit or the time: a code change that alters speed is
     * re-measured on request ({@code --remeasure}).
     */
    static final List<ResultColumn> COMPARABLE = List.of(ResultColumn.DJL, ResultColumn.WARMUP_CALLS,
            ResultColumn.MEASUREMENT_CALLS);

    /** Which finished cells run again all the same: none, those that ended in {@code error}, or all. */
    enum Remeasure {
        NONE, ERROR, ALL;

        /** {@code false} (or absent), {@code error} (error and compile-error), {@code true}: what --remeasure / -Dremeasure takes. */
        static Remeasure parse(String value) {
            if (value == null) {
                return NONE;
            }
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "false": case "none": return NONE;
                case "error": return ERROR;
                case "true": case "all": case "": return ALL;
                default: throw new IllegalArgumentException("--remeasure takes true (every cell), error (the cells "
                        + "that ended in error or compile-error) or false, not '" + value + "'");
            }
        }
    }

    private final Remeasure remeasure;
    private final Function<Cell, ResultRow> planned;

    /** @param planned the row a cell of this run would write, without figures (its key and settings) */
    MeasuredCells(Remeasure remeasure, Function<Cell, ResultRow> planned) {
        this.remeasure = remeasure;
        this.planned = planned;
    }

    /** The cells of {@code cells}, in order, that {@code rows} holds no finished measurement of. */
    List<Cell> missing(List<Cell> cells, List<ResultRow> rows) {
        Map<ResultRow.CellKey, List<ResultRow>> byCell = new HashMap<>();
        rows.forEach(r -> byCell.computeIfAbsent(r.cellKey(), k -> new ArrayList<>()).add(r));
        List<Cell> missing = new ArrayList<>();
        for (Cell cell : cells) {
            ResultRow mine = planned.apply(cell);
            if (!finished(byCell.getOrDefault(mine.cellKey(), List.of()), mine, PipelineId.fromId(cell.pipeline()).stages())) {
                missing.add(cell);
            }
        }
        return missing;
    }

    /** Whether {@code cell}, measured while this run went on (another run on the same card), is finished now. */
    boolean finished(Cell cell, List<ResultRow> rows) {
        return missing(List.of(cell), rows).isEmpty();
    }

    /** @param rows every row with the planned row's cell key */
    private boolean finished(List<ResultRow> rows, ResultRow planned, List<String> stages) {
        if (rows.isEmpty() || remeasure == Remeasure.ALL) {
            return false;
        }
        Set<String> okStages = new HashSet<>();
        for (ResultRow r : rows) {
            for (ResultColumn c : COMPARABLE) {
                if (!r.get(c).equals(planned.get(c))) {
                    return false;
                }
            }
            Outcome outcome = r.outcome();
            boolean failed = outcome.kind() == Outcome.Kind.ERROR || outcome.kind() == Outcome.Kind.COMPILE_ERROR;
            if (outcome.kind() == Outcome.Kind.TIMEOUT || failed && remeasure == Remeasure.ERROR) {
                return false;
            }
            if (outcome.isOk()) {
                okStages.add(r.stage());
            }
        }
        // a cell that failed writes one row; one that finished writes every stage, and nothing else
        return okStages.isEmpty() ? rows.size() == 1 : okStages.containsAll(stages) && okStages.size() == rows.size();
    }
}
