package diffbench.reports;

import diffbench.schema.GpuProfiles;
import diffbench.schema.ImageThroughput;
import diffbench.schema.Outcome;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/** Turns a result (or its absence) into the text of one table cell. */
final class CellText {
    private CellText() {
    }

    static String decimal(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * Denoising iterations per second, or how the cell ended when it did not run to the end; a figure
     * whose output images failed the check says so ("12.34, non-finite output").
     */
    static TableView.Cell its(Optional<ResultRow> result) {
        String check = result.map(r -> r.get(ResultColumn.OUTPUT_CHECK)).orElse("");
        boolean broken = !check.isEmpty() && !check.equals("ok");
        String throttled = result.map(CellText::throttling).orElse("");
        // the compiled mode's compile time stands beside its it/s where this run compiled (cache hits load in seconds)
        String compiled = result.map(CellText::compileNote).filter(n -> n.startsWith(" (compile")).orElse("");
        return measured(result, ResultRow::itsMean, v -> decimal(v) + compiled + (broken ? ", " + check + " output" : "")
                + (throttled.isEmpty() ? "" : ", " + throttled), r -> {
            StringBuilder t = new StringBuilder();
            r.itsStddev().ifPresent(sd -> t.append("± ").append(decimal(sd)));
            OptionalDouble min = r.decimal(ResultColumn.ITS_MIN);
            OptionalDouble max = r.decimal(ResultColumn.ITS_MAX);
            if (min.isPresent() && max.isPresent()) {
                t.append(t.length() > 0 ? ", " : "").append("range ").append(decimal(min.getAsDouble()))
                        .append("–").append(decimal(max.getAsDouble()));
            }
            return t.toString();
        });
    }

    /**
     * This run's it/s next to the baseline's, with the change: "21.30 (was 20.10, +6.0%)"; "new" where
     * the baseline did not run the cell, and either side's outcome where it did not finish.
     */
    static TableView.Cell versusBaseline(Optional<ResultRow> now, Optional<ResultRow> before) {
        if (now.isEmpty()) {
            return TableView.Cell.missing();
        }
        ResultRow r = now.get();
        if (!r.outcome().isOk()) {
            return outcome(r);
        }
        OptionalDouble v = r.itsMean();
        if (v.isEmpty()) {
            return new TableView.Cell("n/a", "missing", "ran, but this figure was not recorded");
        }
        if (before.isEmpty()) {
            return TableView.Cell.number(decimal(v.getAsDouble()) + " (new)", "not in the baseline");
        }
        ResultRow b = before.get();
        String commit = b.get(ResultColumn.GIT_COMMIT);
        String was = " (measured " + b.time().map(Object::toString).orElse("at an unknown time")
                + (commit.isEmpty() ? "" : ", commit " + commit) + ")";
        if (!b.outcome().isOk() || b.itsMean().isEmpty()) {
            return TableView.Cell.number(decimal(v.getAsDouble()) + " (was " + b.outcome().label() + ")", "baseline" + was);
        }
        double base = b.itsMean().getAsDouble();
        return TableView.Cell.number(String.format(Locale.ROOT, "%s (was %s, %+.1f%%)", decimal(v.getAsDouble()), decimal(base),
                100 * (v.getAsDouble() / base - 1)), "baseline" + was);
    }

    /**
     * "thermal-throttled" or "hw-slowdown" when the GPU held its clocks down for heat or a hardware
     * signal while the cell measured (a power cap under full load is normal and not marked); else "".
     */
    static String throttling(ResultRow r) {
        String limits = r.get(ResultColumn.CLOCK_LIMITS);
        if (limits.contains("thermal")) {
            return "thermal-throttled";
        }
        return limits.contains("hw-slowdown") || limits.contains("hw-power-brake") ? "hw-slowdown" : "";
    }

    /** Peak memory in MiB over the measured calls, and over the warm-up (compile, capture) where recorded. */
    static TableView.Cell peakMemory(Optional<ResultRow> result) {
        OptionalDouble warmup = result.map(r -> r.decimal(ResultColumn.WARMUP_PEAK_MEMORY_MIB))
                .orElse(OptionalDouble.empty());
        return measured(result, ResultRow::peakMemoryMib, v -> String.format(Locale.ROOT, "%,.0f", v)
                        + (warmup.isPresent() ? String.format(Locale.ROOT, " (warm-up %,.0f)", warmup.getAsDouble()) : ""),
                r -> warmup.isPresent() ? "measured calls (warm-up calls, where compilers autotune and CUDA graphs are captured)" : "");
    }

    /**
     * "load + warm-up" seconds: how long a cell took before its first measured call; the warm-up is
     * where each runtime compiles. A failed cell shows its outcome.
     */
    static TableView.Cell startUp(Optional<ResultRow> result) {
        if (result.isEmpty()) {
            return TableView.Cell.missing();
        }
        ResultRow r = result.get();
        if (!r.outcome().isOk()) {
            return outcome(r);
        }
        OptionalDouble load = r.decimal(ResultColumn.LOAD_SECONDS);
        OptionalDouble warmup = r.decimal(ResultColumn.WARMUP_SECONDS);
        if (load.isEmpty() && warmup.isEmpty()) {
            return new TableView.Cell("n/a", "missing", "ran, but this figure was not recorded");
        }
        String calls = r.get(ResultColumn.WARMUP_CALLS);
        return TableView.Cell.number(seconds(load) + " + " + seconds(warmup) + compileNote(r),
                "load " + seconds(load) + " s, then " + (calls.isEmpty() ? "" : calls + " ") + "warm-up call"
                        + ("1".equals(calls) ? "" : "s") + " " + seconds(warmup) + " s" + compileDetail(r));
    }

    /**
     * The compiled mode's compile step, inside the warm-up: " (compile 17 s)" when packages were
     * compiled in this run, " (cached)" when they came from the cache or a folder; empty for other modes.
     */
    static String compileNote(ResultRow r) {
        String cache = r.get(ResultColumn.COMPILE_CACHE);
        if (cache.isEmpty()) {
            return "";
        }
        OptionalDouble compile = r.decimal(ResultColumn.COMPILE_SECONDS);
        return cache.contains("miss") ? " (compile " + seconds(compile) + " s)" : " (cached)";
    }

    private static String compileDetail(ResultRow r) {
        String cache = r.get(ResultColumn.COMPILE_CACHE);
        return cache.isEmpty() ? "" : "; " + r.get(ResultColumn.COMPILER) + " "
                + r.get(ResultColumn.COMPILER_OPTIONS) + " packages: " + cache + ", compiling "
                + seconds(r.decimal(ResultColumn.COMPILE_SECONDS)) + " s of the warm-up";
    }

    private static String seconds(OptionalDouble v) {
        if (v.isEmpty()) {
            return "?";
        }
        return String.format(Locale.ROOT, v.getAsDouble() < 10 ? "%.1f" : "%.0f", v.getAsDouble());
    }

    /**
     * Whole pipeline calls as a serving cost: images per second and, where the card's power was
     * sampled, joules per image ({@link ImageThroughput}: the row's columns, computed for rows before
     * schema 5). IF's call is the whole cascade: on the stage I row, the other stages point there.
     */
    static TableView.Cell throughput(Optional<ResultRow> result) {
        if (result.isPresent() && result.get().outcome().isOk() && !result.get().stage().isEmpty()
                && !result.get().stage().equals("I")) {
            return new TableView.Cell("as stage I", "missing", "one call runs the whole cascade: its figures are on the stage I row");
        }
        return measured(result, ImageThroughput::imagesPerSecond, images -> {
            OptionalDouble joules = ImageThroughput.joulesPerImage(result.get());
            return threeDigits(images) + " img/s" + (joules.isPresent()
                    ? String.format(Locale.ROOT, " · %,.0f J/img", joules.getAsDouble()) : "");
        }, r -> String.format(Locale.ROOT, "%d images in %.3f s per call", r.batch(), r.secondsPerCallMean().orElse(0))
                + r.decimal(ResultColumn.GPU_POWER_W).stream()
                        .mapToObj(w -> String.format(Locale.ROOT, " at %.0f W mean board power", w)).findFirst().orElse(""));
    }

    /**
     * The denoiser's achieved TFLOP/s and, where the card's dense peak for the row's dtype is known,
     * its share of it (model FLOPs utilisation): low at batch 1 where launches bound the loop, high
     * where the GPU computes.
     */
    static TableView.Cell denoiserCompute(Optional<ResultRow> result, Optional<GpuProfiles.GpuProfile> card) {
        OptionalDouble peak = result.map(r -> peakOf(r, card)).orElse(OptionalDouble.empty());
        return measured(result, ResultRow::denoiserTflops,
                v -> threeDigits(v) + (peak.isPresent() ? String.format(Locale.ROOT, " · %.1f%%", 100 * v / peak.getAsDouble()) : ""),
                r -> "TFLOP/s of the UNet [+ ControlNet] calls over the loop time" + (peak.isPresent()
                        ? String.format(Locale.ROOT, "; the %s's dense %s peak is %.1f TFLOP/s", card.get().name(), r.dtype(),
                                peak.getAsDouble()) : "") + gpuState(r));
    }

    /** "; SM 1,830 MHz, 655 W, up to 71 °C, limits: sw-power-cap" where the harness sampled the GPU. */
    private static String gpuState(ResultRow r) {
        OptionalDouble clock = r.decimal(ResultColumn.SM_CLOCK_MHZ);
        if (clock.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "; SM %,.0f MHz", clock.getAsDouble()));
        r.decimal(ResultColumn.GPU_POWER_W).ifPresent(w -> s.append(String.format(Locale.ROOT, ", %.0f W", w)));
        r.decimal(ResultColumn.GPU_TEMPERATURE_C).ifPresent(t -> s.append(String.format(Locale.ROOT, ", up to %.0f °C", t)));
        String limits = r.get(ResultColumn.CLOCK_LIMITS);
        return s.append(limits.isEmpty() ? "" : ", limits: " + limits).toString();
    }

    /** About three digits: 412, 96.4, 0.0172 (tiny models on a CPU stay readable). */
    private static String threeDigits(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return v >= 1 ? String.format(Locale.ROOT, "%.1f", v)
                : new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static OptionalDouble peakOf(ResultRow r, Optional<GpuProfiles.GpuProfile> card) {
        return r.isCpu() ? OptionalDouble.empty() : card.map(c -> c.peakTflops(r.dtype())).orElse(OptionalDouble.empty());
    }

    /** How many times faster {@code fast} ran than {@code base}; an outcome where {@code fast} did not finish. */
    static TableView.Cell speedUp(Optional<ResultRow> base, Optional<ResultRow> fast) {
        if (fast.isPresent() && !fast.get().outcome().isOk()) {
            return outcome(fast.get());
        }
        OptionalDouble b = base.filter(r -> r.outcome().isOk()).map(ResultRow::itsMean).orElse(OptionalDouble.empty());
        OptionalDouble f = fast.map(ResultRow::itsMean).orElse(OptionalDouble.empty());
        if (b.isEmpty() || f.isEmpty() || b.getAsDouble() <= 0) {
            return TableView.Cell.missing();
        }
        return TableView.Cell.number(decimal(f.getAsDouble() / b.getAsDouble()) + "×", "");
    }

    private interface Value {
        OptionalDouble of(ResultRow r);
    }

    private interface Format {
        String of(double v);
    }

    private interface Title {
        String of(ResultRow r);
    }

    private static TableView.Cell measured(Optional<ResultRow> result, Value value, Format format, Title title) {
        if (result.isEmpty()) {
            return TableView.Cell.missing();
        }
        ResultRow r = result.get();
        if (!r.outcome().isOk()) {
            return outcome(r);
        }
        OptionalDouble v = value.of(r);
        return v.isPresent() ? TableView.Cell.number(format.of(v.getAsDouble()), title.of(r))
                : new TableView.Cell("n/a", "missing", "ran, but this figure was not recorded");
    }

    private static TableView.Cell outcome(ResultRow r) {
        Outcome o = r.outcome();
        return new TableView.Cell(o.label(), o.isOom() ? "oom" : "error", r.errorMessage());
    }
}
