package diffbench.reports;

import diffbench.schema.CellTerm;
import diffbench.schema.PipelineId;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;

import java.util.Comparator;
import java.util.List;

/** A table row: a pipeline (an IF stage has a row of its own) at a resolution and step count. */
record RowLabel(String pipeline, String stage, String resolution, String steps) {

    /** diffusers' table order. */
    static final List<String> PIPELINES = CellTerm.ids(PipelineId.class);
    private static final List<String> STAGES = List.of("", "I", "II", "III");

    static final Comparator<RowLabel> ORDER = Comparator.comparing((RowLabel r) -> rank(PIPELINES, r.pipeline))
            .thenComparing(RowLabel::pipeline)
            .thenComparing(r -> rank(STAGES, r.stage)).thenComparing(RowLabel::stage)
            .thenComparing(RowLabel::resolution).thenComparing(RowLabel::steps);

    static RowLabel of(ResultRow r) {
        return new RowLabel(r.pipeline(), r.stage(), r.resolution(), r.get(ResultColumn.STEPS));
    }

    /** Pipeline and stage only, for comparing with published figures, which name no resolution. */
    RowLabel pipelineOnly() {
        return new RowLabel(pipeline, stage, "", "");
    }

    String label() {
        return stage.isEmpty() ? pipeline : pipeline + " stage " + stage;
    }

    /** Resolution and steps, shown under the label. */
    String detail() {
        StringBuilder b = new StringBuilder(resolution);
        if (!steps.isEmpty()) {
            b.append(b.length() > 0 ? " · " : "").append(steps).append(" steps");
        }
        return b.toString();
    }

    private static int rank(List<String> order, String value) {
        int i = order.indexOf(value);
        return i < 0 ? order.size() : i;
    }
}
