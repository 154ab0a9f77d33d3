package diffbench.reports;

import diffbench.schema.GpuProfiles;
import diffbench.schema.ResultRow;

import java.awt.AWTError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads results and published figures, writes the pages, then draws the charts. Charts come last
 * and each failure is caught: the tables are on disk before any font or AWT problem can strike.
 */
final class ReportGenerator {

    /** What was written; {@code chartFailures} maps a chart name to why it could not be drawn. */
    record Summary(List<ResultRow> measured, Baseline baseline, List<String> pages, int charts,
                   Map<String, String> chartFailures) {
        int rows() {
            return measured.size();
        }

        /** The cells more than this much slower than the baseline's, or no longer finishing (none without one). */
        List<String> regressions(double slowerPercent) {
            return Regressions.find(measured, baseline, slowerPercent);
        }
    }

    /** Draws one chart into a folder; tests swap in one that fails. */
    interface ChartDrawer {
        void draw(ChartSpec spec, Path folder) throws Exception;
    }

    private final Templates templates = new Templates();
    private final ChartDrawer drawer;

    ReportGenerator() {
        this(ChartRenderer::render);
    }

    ReportGenerator(ChartDrawer drawer) {
        this.drawer = drawer;
    }

    Summary generate(Path results, Path profiles, Path out) throws IOException {
        return generate(results, profiles, out, Optional.empty());
    }

    /** @param baseline a folder of earlier results to compare each cell's it/s with */
    Summary generate(Path results, Path profiles, Path out, Optional<Path> baseline) throws IOException {
        ResultsLoader.Loaded loaded = ResultsLoader.load(results);
        Baseline earlier = baseline.isPresent() ? new Baseline(ResultsLoader.load(baseline.get()).rows()) : Baseline.none();
        List<PublishedFigure> published = PublishedFigures.read(profiles);
        GpuProfiles cards = cards(profiles);
        Map<String, List<ResultRow>> bySlug = loaded.rows().stream().collect(Collectors.groupingBy(
                r -> Pages.fileSlug(r.gpuSlug()), TreeMap::new, Collectors.toList()));

        OutputFolder folder = new OutputFolder(out);
        List<String> pages;
        int charts;
        Map<String, String> failures = new LinkedHashMap<>();
        try {
            Site site = build(loaded, bySlug, published, cards, earlier, Map.of());
            pages = write(folder, site);
            charts = site.charts.size();
            for (ChartSpec spec : site.charts) {
                try {
                    drawer.draw(spec, folder.charts());
                } catch (Exception | LinkageError | AWTError e) {
                    failures.put(spec.name(), e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            if (!failures.isEmpty()) {
                write(folder, build(loaded, bySlug, published, cards, earlier, failures)); // say so on the pages, instead of a broken image
            }
            folder.commit();
        } catch (IOException | RuntimeException | Error e) {
            folder.abandon(); // the previous report stays whole
            throw e;
        }
        return new Summary(loaded.rows(), earlier, pages, charts, failures);
    }

    private record Site(IndexPage index, List<GpuPage> gpuPages, List<ChartSpec> charts) {
    }

    /** The cards' profiles (their peaks); none without a profiles folder. A broken profile stops the report, naming it. */
    private static GpuProfiles cards(Path profiles) throws IOException {
        if (!Files.isDirectory(profiles)) {
            return GpuProfiles.none();
        }
        try {
            return GpuProfiles.load(profiles);
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static Site build(ResultsLoader.Loaded loaded, Map<String, List<ResultRow>> bySlug,
                              List<PublishedFigure> published, GpuProfiles cards, Baseline baseline,
                              Map<String, String> failures) {
        List<ChartSpec> charts = new ArrayList<>();
        List<GpuPage> gpuPages = new ArrayList<>();
        List<IndexPage.GpuLink> links = new ArrayList<>();
        bySlug.forEach((slug, rows) -> {
            GpuPageBuilder.Built built = GpuPageBuilder.build(slug, rows,
                    loaded.sourcesBySlug().getOrDefault(slug, Set.of()), published, cards, baseline, failures);
            gpuPages.add(built.page());
            charts.addAll(built.charts());
            links.add(new IndexPage.GpuLink(slug, built.page().title(), built.page().cpu(), rows.size(), built.page().machines()));
        });
        List<String> problems = failures.isEmpty() ? List.of() : List.of(failures.size()
                + " chart(s) could not be drawn (first: " + failures.values().iterator().next()
                + "); on a bare machine install fontconfig and fonts-dejavu-core");
        IndexPageBuilder.Built index = IndexPageBuilder.build(loaded.rows(), links, published, problems, failures);
        charts.addAll(index.charts());
        return new Site(index.page(), gpuPages, charts);
    }

    private List<String> write(OutputFolder folder, Site site) throws IOException {
        List<String> pages = new ArrayList<>();
        folder.write("index.html", templates.html("index", site.index));
        folder.write("index.md", templates.markdown("index", site.index));
        pages.add("index");
        for (GpuPage page : site.gpuPages) {
            folder.write(page.slug() + ".html", templates.html("gpu", page));
            folder.write(page.slug() + ".md", templates.markdown("gpu", page));
            pages.add(page.slug());
        }
        return pages;
    }
}
