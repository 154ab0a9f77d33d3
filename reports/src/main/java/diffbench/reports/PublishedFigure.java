package diffbench.reports;

/**
 * One figure diffusers published for its PyTorch 2.0 benchmark.
 *
 * @param torch        "2.0" or "nightly", as published
 * @param itsPerSecond null when the cell did not finish (see {@code outcome}); s/it figures are converted
 * @param text         what a table shows: it/s, the original s/it, or the published outcome ("OOM after warmup")
 */
record PublishedFigure(String gpuName, String slug, int batch, String pipeline, String stage, String torch,
                       boolean compiled, Double itsPerSecond, String text, String note) {

    String columnLabel() {
        return "diffusers torch " + torch + (compiled ? " compile" : " eager");
    }

    RowLabel row() {
        return new RowLabel(pipeline, stage, "", "");
    }
}
