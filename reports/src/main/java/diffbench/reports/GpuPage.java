package diffbench.reports;

import java.util.List;

/** The model of one GPU's page (also used for the CPU smoke-run page). */
record GpuPage(String slug, String title, boolean cpu, List<String> machines, List<String> sources,
               List<SetupSection> setups, List<String> errors) {

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The figures of one {@link Setup}. */
    record SetupSection(String id, String heading, boolean cpu, List<BatchSection> batches, List<ChartRef> charts,
                        List<TableView> published, String publishedNote) {
        public boolean hasCharts() {
            return !charts.isEmpty();
        }

        public boolean hasPublished() {
            return !published.isEmpty();
        }
    }

    /**
     * One batch size: it/s (and against a baseline run), peak memory, speed-up, compute, throughput and
     * start-up tables with their charts.
     */
    record BatchSection(int batch, TableView its, TableView versusBaseline, TableView memory, TableView speedUp, TableView versusPyTorch,
                        TableView compute, TableView throughput, TableView startUp, List<ChartRef> charts) {
    }
}
