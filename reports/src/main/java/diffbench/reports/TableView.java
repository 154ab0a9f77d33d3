package diffbench.reports;

import java.util.List;

/**
 * A table as the templates draw it: already formatted text, no logic left for the template.
 *
 * @param id      the HTML id (stable, so tests and links can find the table)
 * @param headers column headers after the row-label column
 */
record TableView(String id, String title, String caption, String corner, List<String> headers, List<Row> rows) {

    record Row(String label, String detail, List<Cell> cells) {
    }

    /**
     * @param kind  {@code number}, {@code oom}, {@code error}, {@code missing}: a CSS class and a test hook
     * @param title a tool tip with what the text leaves out (spread, error message), or empty
     */
    record Cell(String text, String kind, String title) {
        static Cell number(String text, String title) {
            return new Cell(text, "number", title);
        }

        static Cell missing() {
            return new Cell("—", "missing", "not measured");
        }
    }
}
