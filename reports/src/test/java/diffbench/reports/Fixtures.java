package diffbench.reports;

import java.io.IOException;
import java.nio.file.Path;

/** The CSV fixtures under src/test/resources/fixtures and a report generated from them. */
final class Fixtures {
    /** h200 (two libtorch versions, batches 1 and 4, IF stages, OOM, error and missing cells, a T4 emulation), rtx-4090, a CPU smoke run. */
    static final Path RESULTS = Path.of("src/test/resources/fixtures/results");
    static final Path PROFILES = Path.of("src/test/resources/fixtures/gpu-profiles");

    private Fixtures() {
    }

    /** Read-only tests share one report (drawing 30 charts takes seconds), kept in target/ to look at. */
    static final Path SHARED = Path.of("target/fixture-report");
    private static ReportGenerator.Summary shared;

    static ReportGenerator.Summary generate(Path out) throws IOException {
        return new ReportGenerator().generate(RESULTS, PROFILES, out);
    }

    static synchronized ReportGenerator.Summary shared() throws IOException {
        if (shared == null) {
            shared = generate(SHARED);
        }
        return shared;
    }
}
