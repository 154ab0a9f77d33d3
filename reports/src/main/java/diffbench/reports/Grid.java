package diffbench.reports;

import diffbench.schema.ResultRow;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Result rows arranged as a table: ordered row labels, ordered columns, at most one result per
 * intersection (the most recent, when several files measured the same cell).
 */
final class Grid {
    private final List<RowLabel> rows;
    private final List<Column> columns;
    private final Map<RowLabel, Map<Column, ResultRow>> cells = new HashMap<>();

    Grid(Collection<ResultRow> results, Function<ResultRow, RowLabel> rowOf, Function<ResultRow, Column> columnOf) {
        TreeSet<RowLabel> rowSet = new TreeSet<>(RowLabel.ORDER);
        TreeSet<Column> columnSet = new TreeSet<>(Column.ORDER);
        for (ResultRow r : results) {
            RowLabel row = rowOf.apply(r);
            Column column = columnOf.apply(r);
            rowSet.add(row);
            columnSet.add(column);
            cells.computeIfAbsent(row, k -> new HashMap<>()).merge(column, r, Grid::newer);
        }
        this.rows = List.copyOf(rowSet);
        this.columns = List.copyOf(columnSet);
    }

    List<RowLabel> rows() {
        return rows;
    }

    List<Column> columns() {
        return columns;
    }

    Optional<ResultRow> cell(RowLabel row, Column column) {
        return Optional.ofNullable(cells.getOrDefault(row, Map.of()).get(column));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Whether any result of the grid satisfies the test. */
    boolean anyResult(Predicate<ResultRow> test) {
        return cells.values().stream().flatMap(m -> m.values().stream()).anyMatch(test);
    }

    private static ResultRow newer(ResultRow a, ResultRow b) {
        Instant ta = a.time().orElse(Instant.MIN);
        Instant tb = b.time().orElse(Instant.MIN);
        return tb.isAfter(ta) ? b : a;
    }
}
