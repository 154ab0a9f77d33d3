package diffbench.jmh;

import diffbench.pipeline.PipelineSpec;
import diffbench.schema.Attention;
import diffbench.schema.DeviceKind;
import diffbench.schema.Dtype;
import diffbench.schema.Mode;
import diffbench.schema.PipelineId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One benchmark cell: every parameter of {@link PipelineBenchmark} for one JMH fork. */
record Cell(String pipeline, int batch, String mode, String attention, String dtype, int steps, boolean tiny, String device) {

    /** The benchmark's @Param values, by field name. */
    Map<String, String> jmhParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("pipeline", pipeline);
        p.put("batch", Integer.toString(batch));
        p.put("mode", mode);
        p.put("attention", attention);
        p.put("dtype", dtype);
        p.put("steps", Integer.toString(steps));
        p.put("tiny", Boolean.toString(tiny));
        p.put("device", device);
        return p;
    }

    /** The pipeline configuration this cell's fork opens. */
    PipelineSpec spec() {
        return new PipelineSpec(PipelineId.fromId(pipeline), batch, Mode.fromId(mode),
                Attention.fromId(attention), Dtype.fromId(dtype), steps, tiny,
                DeviceKind.fromId(device), Optional.empty());
    }

    /** `pipeline:batch:mode`, the key fault injection selects cells by. */
    String selector() {
        return pipeline + ":" + batch + ":" + mode;
    }

    @Override
    public String toString() {
        return pipeline + " batch " + batch + " " + mode + " " + attention + " " + dtype + " " + steps + " steps"
                + (tiny ? " tiny" : "") + " on " + device;
    }
}
