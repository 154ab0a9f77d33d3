package diffbench.reports;

import java.io.IOException;
import java.nio.file.Path;

/** The CSV fixtures under src/test/resources/fixtures and a report generated from them. */
final class Fixtures {
    /** h200 (two libtorch versions, batches 1 and 4, IF stages, OOM, error and missing cells, a T4 emulation), rtx4090, a CPU smoke run. */
    static final Path RESULTS = Path.of("src/test/resources/fixtures/results");
    static final Path PROFILES = Path.of("src/test/resources/fixtures/gpu-profiles");

    private Fixtures() {
    }

    static ReportGenerator.Summary generate(Path out) throws IOException {
        return new ReportGenerator().generate(RESULTS, PROFILES, out);
    }
}
