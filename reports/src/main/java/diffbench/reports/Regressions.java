package diffbench.reports;

import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The cells that got worse against a baseline run, for a CI gate ({@code --fail-if-slower PERCENT}):
 * it/s down by more than the threshold, or a cell that finished before and now does not (an OOM,
 * an error, a timeout). Cells the baseline did not run, or did not finish, cannot regress.
 */
final class Regressions {
    private Regressions() {
    }

    /** One line per regressed cell, naming the card, the cell and both figures. */
    static List<String> find(List<ResultRow> now, Baseline baseline, double slowerPercent) {
        List<String> found = new ArrayList<>();
        for (ResultRow r : now) {
            Optional<ResultRow> before = baseline.of(r);
            if (before.isEmpty() || !before.get().outcome().isOk() || before.get().itsMean().isEmpty()) {
                continue;
            }
            double was = before.get().itsMean().getAsDouble();
            if (!r.outcome().isOk()) {
                found.add(String.format(Locale.ROOT, "%s: %s it/s before, now %s", cell(r), CellText.decimal(was),
                        r.outcome().label()));
            } else if (r.itsMean().isPresent()) {
                double is = r.itsMean().getAsDouble();
                double change = 100 * (is / was - 1);
                if (change < -slowerPercent) {
                    found.add(String.format(Locale.ROOT, "%s: %s -> %s it/s (%+.1f%%)", cell(r), CellText.decimal(was),
                            CellText.decimal(is), change));
                }
            }
        }
        return found;
    }

    /** The cell as the report's tables name it: card and software (the column), pipeline (the row), batch and setup. */
    private static String cell(ResultRow r) {
        return String.format(Locale.ROOT, "%s: %s batch %d (%s, %s attention, %s steps)", Column.across(r).label(),
                RowLabel.of(r).label(), r.batch(), r.dtype(), r.attention(), r.get(ResultColumn.STEPS));
    }
}
