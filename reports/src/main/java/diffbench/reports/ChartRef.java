package diffbench.reports;

import java.util.List;
import java.util.Map;

/**
 * A chart as a page links it.
 *
 * @param notes   why some bars are absent
 * @param failure why it was not drawn, or empty: the page then says so instead of showing a broken image
 */
record ChartRef(String name, String alt, int width, int height, List<String> notes, String failure) {

    static ChartRef of(ChartSpec spec, Map<String, String> failures) {
        return new ChartRef(spec.name(), spec.title(), ChartSpec.WIDTH, spec.height(), spec.notes(),
                failures.getOrDefault(spec.name(), ""));
    }

    public boolean hasNotes() {
        return !notes.isEmpty();
    }

    public boolean rendered() {
        return failure.isEmpty();
    }

    public String png() {
        return "charts/" + name + ".png";
    }

    public String svg() {
        return "charts/" + name + ".svg";
    }
}
