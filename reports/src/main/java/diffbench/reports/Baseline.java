package diffbench.reports;

import diffbench.schema.ResultRow;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rows of an earlier run (`--baseline DIR`), found by the cell a current row belongs to: same
 * card, engine, pipeline, batch, mode and settings ({@link ResultRow#cellKey()}), and the same IF
 * stage. Re-running a cell replaces its row in `results/`, so a copy of the folder taken before is
 * what a regression check compares against.
 */
final class Baseline {
    private record Key(ResultRow.CellKey cell, String stage) {
    }

    private final Map<Key, ResultRow> rows = new HashMap<>();

    Baseline(List<ResultRow> earlier) {
        earlier.forEach(r -> rows.merge(new Key(r.cellKey(), r.stage()), r,
                (a, b) -> b.time().orElse(Instant.MIN).isAfter(a.time().orElse(Instant.MIN)) ? b : a));
    }

    static Baseline none() {
        return new Baseline(List.of());
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    Optional<ResultRow> of(ResultRow current) {
        return Optional.ofNullable(rows.get(new Key(current.cellKey(), current.stage())));
    }
}
