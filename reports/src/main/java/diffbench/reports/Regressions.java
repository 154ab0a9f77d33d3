package diffbench.reports;

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

    private static String cell(ResultRow r) {
        String stage = r.stage().isEmpty() ? "" : " stage " + r.stage();
        String cap = r.emulate().isEmpty() ? "" : " as " + r.emulate();
        return String.format(Locale.ROOT, "%s%s %s%s batch %d %s %s %s (%s, libtorch %s)", r.gpuSlug(), cap, r.pipeline(),
                stage, r.batch(), r.mode(), r.dtype(), r.attention(), r.runtime(), r.libtorch());
    }
}
