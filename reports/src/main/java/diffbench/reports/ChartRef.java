package diffbench.reports;

/**
 * A chart as a page links it.
 *
 * @param failure why it was not drawn, or empty: the page then says so instead of showing a broken image
 */
record ChartRef(String name, String alt, String failure) {

    static ChartRef of(ChartSpec spec, java.util.Map<String, String> failures) {
        return new ChartRef(spec.name(), spec.title(), failures.getOrDefault(spec.name(), ""));
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
