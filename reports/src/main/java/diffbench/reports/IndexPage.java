package diffbench.reports;

import java.util.List;

/** The model of the report's front page. */
record IndexPage(boolean hasResults, List<GpuLink> gpus, List<TableView> glance, List<CrossSection> across, String acrossNote,
                 List<TableView> emulated, List<BatchBlock> published, String publishedNote, List<String> problems) {

    public boolean hasGlance() {
        return !glance.isEmpty();
    }

    public boolean hasEmulated() {
        return !emulated.isEmpty();
    }

    /** A GPU page as the index lists it. */
    record GpuLink(String slug, String title, boolean cpu, int cells, List<String> machines) {
        public String html() {
            return slug + ".html";
        }

        public String md() {
            return slug + ".md";
        }
    }

    /** One setup across GPUs. */
    record CrossSection(String heading, List<BatchBlock> batches) {
    }

    /** The tables and charts of one batch size. */
    record BatchBlock(int batch, List<TableView> tables, List<ChartRef> charts) {
    }
}
