package diffbench.reports;

import diffbench.schema.GpuProfiles;
import diffbench.schema.GpuSlug;

import diffbench.schema.Outcome;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Builds one GPU's page: per setup and batch size the tables of diffusers' layout, and their charts. */
final class GpuPageBuilder {

    /** The page and the charts it links. */
    record Built(GpuPage page, List<ChartSpec> charts) {
    }

    private GpuPageBuilder() {
    }

    static Built build(String slug, List<ResultRow> rows, Set<String> sources, List<PublishedFigure> published,
                       GpuProfiles cards, Baseline baseline, Map<String, String> chartFailures) {
        // the card that ran (an emulated one lends only its memory size)
        Optional<GpuProfiles.GpuProfile> measuredCard = rows.stream().anyMatch(r -> !r.isCpu())
                ? cards.find(gpuName(rows)).or(() -> cards.find(slug)) : Optional.empty();
        List<ChartSpec> specs = new ArrayList<>();
        Map<Setup, List<ResultRow>> bySetup = rows.stream()
                .collect(Collectors.groupingBy(Setup::of, () -> new TreeMap<>(Setup.ORDER), Collectors.toList()));
        List<GpuPage.SetupSection> sections = new ArrayList<>();
        int index = 0;
        for (Map.Entry<Setup, List<ResultRow>> e : bySetup.entrySet()) {
            Setup setup = e.getKey();
            String prefix = slug + "-s" + (++index);
            List<GpuPage.BatchSection> batches = new ArrayList<>();
            Map<Integer, List<ResultRow>> byBatch = e.getValue().stream()
                    .collect(Collectors.groupingBy(ResultRow::batch, TreeMap::new, Collectors.toList()));
            for (Map.Entry<Integer, List<ResultRow>> b : byBatch.entrySet()) {
                batches.add(batchSection(prefix, setup, b.getKey(), b.getValue(), measuredCard, baseline, specs, chartFailures));
            }
            List<ChartSpec> setupCharts = new ArrayList<>();
            Grid columns = new Grid(e.getValue(), RowLabel::of, Column::of);
            for (int c = 0; c < columns.columns().size(); c++) {
                Column column = columns.columns().get(c);
                List<ResultRow> ofColumn = e.getValue().stream().filter(r -> Column.of(r).equals(column)).toList();
                Charts.batchScaling(prefix + "-scaling-c" + (c + 1), "Batch scaling, " + column.label(), ofColumn)
                        .ifPresent(setupCharts::add);
            }
            List<TableView> comparisons = new ArrayList<>();
            String note = "";
            if (setup.matchesPublishedSetup()) {
                String card = setup.emulate().isEmpty() ? slug : GpuSlug.of(setup.emulate());
                List<PublishedFigure> ofCard = published.stream().filter(f -> GpuSlug.sameCard(card, f.slug())).toList();
                if (!ofCard.isEmpty()) {
                    comparisons.addAll(EmulatedMemoryTable.tables(prefix + "-emulated", e.getValue(), published));
                    note = setup.emulate().isEmpty()
                            ? "diffusers published figures for this card (" + ofCard.get(0).gpuName() + ")."
                            : "Speeds are this machine's; only the memory of the " + ofCard.get(0).gpuName()
                            + " is emulated, so compare the OOM outcomes, not the it/s.";
                    for (Map.Entry<Integer, List<ResultRow>> b : byBatch.entrySet()) {
                        int batch = b.getKey();
                        List<PublishedFigure> atBatch = ofCard.stream().filter(f -> f.batch() == batch).toList();
                        if (atBatch.isEmpty()) {
                            continue;
                        }
                        Grid measured = new Grid(b.getValue(), r -> RowLabel.of(r).pipelineOnly(), Column::of);
                        String id = prefix + "-published-b" + batch;
                        comparisons.add(Tables.publishedComparison(id, "Batch " + batch + ": measured vs published", "", atBatch, measured));
                        List<String> labels = atBatch.stream().map(PublishedFigure::columnLabel).distinct().sorted().toList();
                        List<ChartSpec.BarSeries> extra = new ArrayList<>();
                        for (String label : labels) {
                            extra.add(Charts.publishedSeries(label,
                                    atBatch.stream().filter(f -> f.columnLabel().equals(label)).toList(), measured, extra.size()));
                        }
                        Charts.its(id, "Measured vs published, batch " + batch + " (" + slug + ")", measured, extra)
                                .ifPresent(setupCharts::add);
                    }
                }
            }
            specs.addAll(setupCharts);
            List<ChartRef> refs = setupCharts.stream().map(s -> ChartRef.of(s, chartFailures)).toList();
            sections.add(new GpuPage.SetupSection(prefix, setup.label(), setup.isCpu(), batches, refs, comparisons, note));
        }
        boolean allCpu = rows.stream().allMatch(ResultRow::isCpu);
        String title = allCpu ? "CPU smoke run (" + slug + ")" : gpuName(rows) + " (" + slug + ")";
        return new Built(new GpuPage(slug, title, allCpu, machines(rows), List.copyOf(new TreeSet<>(sources)), sections,
                errors(rows)), specs);
    }

    private static GpuPage.BatchSection batchSection(String prefix, Setup setup, int batch, List<ResultRow> rows,
                                                     Optional<GpuProfiles.GpuProfile> card, Baseline baseline,
                                                     List<ChartSpec> specs, Map<String, String> chartFailures) {
        Grid grid = new Grid(rows, RowLabel::of, Column::of);
        String id = prefix + "-b" + batch;
        String what = setup.isCpu() ? "CPU smoke run, batch " + batch : "Batch " + batch;
        TableView its = Tables.its(id + "-its", what + ": denoising it/s", setup.label(), grid);
        TableView memory = Tables.peakMemory(id + "-memory", what + ": peak memory (MiB)", "", grid);
        TableView speedUp = Tables.speedUp(id + "-speedup", what + ": compile speed-up", "", grid);
        TableView versusPyTorch = Tables.versusPyTorch(id + "-vs-pytorch", what + ": diffbench vs PyTorch (it/s ratio)",
                "Same card, networks, weights, scheduler and batch; above 1× the JVM is faster.", grid);
        TableView versusBaseline = Tables.versusBaseline(id + "-vs-baseline", what + ": it/s against the baseline run",
                "The same cells in the results given with --baseline (a copy of results/ taken before): change in it/s.",
                grid, baseline);
        TableView compute = Tables.denoiserCompute(id + "-compute", what + ": denoiser TFLOP/s"
                        + (card.isPresent() ? " and share of the card's dense peak (MFU)" : ""),
                "FLOPs of the UNet [+ ControlNet] calls (2 per multiply-accumulate of convolutions, linears and attention "
                        + "matmuls; guidance rows included) over the loop time" + card.map(c -> "; peak from gpu-profiles/"
                        + c.slug() + ".json").orElse("") + ". Low shares mean launches or memory bound the loop, not the tensor cores.",
                grid, card);
        TableView throughput = Tables.throughput(id + "-throughput", what + ": images per second"
                        + (setup.isCpu() ? "" : " and energy per image"),
                "Whole pipeline calls (text encoding, denoising loop, VAE; for IF the three stages together): batch over "
                        + "seconds per call" + (setup.isCpu() ? "." : "; joules per image from the board power nvidia-smi sampled "
                        + "during the measured calls, the card's own draw only."), grid);
        TableView startUp = Tables.startUp(id + "-startup", what + ": seconds to load, then to warm up",
                "Before the first measured call. The warm-up is where each runtime compiles: AOTInductor packages "
                        + "(compiled mode: its compile time in brackets, or cached), the TorchScript profiling executor, "
                        + "cuDNN autotuning, CUDA-graph capture, torch.compile.", grid);
        List<ChartSpec> charts = new ArrayList<>();
        Charts.its(id + "-its", what + ": it/s per pipeline", grid, List.of()).ifPresent(charts::add);
        Charts.speedUp(id + "-speedup", what + ": speed-up over eager", grid).ifPresent(charts::add);
        Charts.peakMemory(id + "-memory", what + ": peak memory", grid).ifPresent(charts::add);
        specs.addAll(charts);
        return new GpuPage.BatchSection(batch, its, versusBaseline, memory, speedUp, versusPyTorch, compute, throughput, startUp,
                charts.stream().map(s -> ChartRef.of(s, chartFailures)).toList());
    }

    private static String gpuName(List<ResultRow> rows) {
        return rows.stream().map(ResultRow::gpuName).filter(n -> !n.isEmpty()).findFirst().orElse("GPU");
    }

    /** Where the figures come from: each distinct machine and software stack, with when and at which commit. */
    static List<String> machines(List<ResultRow> rows) {
        Map<String, List<ResultRow>> byMachine = rows.stream().collect(Collectors.groupingBy(r -> {
            List<String> parts = new ArrayList<>();
            parts.add("host " + orUnknown(r.get(ResultColumn.HOST)));
            add(parts, "", r.get(ResultColumn.HOST_CPU));
            parts.add(r.isCpu() ? "CPU" : orUnknown(r.gpuName()) + memory(r));
            add(parts, "driver ", r.get(ResultColumn.DRIVER));
            add(parts, "CUDA ", r.get(ResultColumn.CUDA));
            add(parts, "cuDNN ", r.get(ResultColumn.CUDNN));
            add(parts, "DJL ", r.get(ResultColumn.DJL));
            add(parts, "JVM ", r.get(ResultColumn.JVM));
            return String.join(" · ", parts);
        }, TreeMap::new, Collectors.toList()));
        List<String> lines = new ArrayList<>();
        byMachine.forEach((machine, of) -> {
            TreeSet<Instant> times = of.stream().map(ResultRow::time).flatMap(Optional::stream)
                    .collect(Collectors.toCollection(TreeSet::new));
            TreeSet<String> commits = of.stream().map(r -> r.get(ResultColumn.GIT_COMMIT)).filter(c -> !c.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
            StringBuilder b = new StringBuilder(machine).append(" — ").append(of.size()).append(of.size() == 1 ? " cell" : " cells");
            if (!times.isEmpty()) {
                b.append(", measured ").append(times.first()).append(times.size() > 1 ? " to " + times.last() : "");
            }
            if (!commits.isEmpty()) {
                b.append(", commit ").append(String.join(", ", commits));
            }
            lines.add(b.toString());
        });
        return lines;
    }

    private static List<String> errors(List<ResultRow> rows) {
        return rows.stream().filter(r -> {
            Outcome o = r.outcome();
            return !o.isOk() && (!o.isOom() || !r.errorMessage().isEmpty());
        }).map(r -> RowLabel.of(r).label() + ", batch " + r.batch() + ", " + Column.of(r).label() + ": "
                + r.outcome().label() + (r.errorMessage().isEmpty() ? "" : " — " + r.errorMessage())).toList();
    }

    private static String memory(ResultRow r) {
        String mib = r.get(ResultColumn.GPU_MEMORY_MIB);
        return mib.isEmpty() ? "" : " (" + mib + " MiB)";
    }

    private static void add(List<String> parts, String prefix, String value) {
        if (!value.isEmpty()) {
            parts.add(prefix + value);
        }
    }

    private static String orUnknown(String v) {
        return v.isEmpty() ? "unknown" : v;
    }
}
