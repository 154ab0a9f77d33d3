package diffbench.jmh;

import diffbench.pipeline.BenchmarkPipeline;
import diffbench.pipeline.PipelineSpec;

/**
 * How the benchmark gets its pipeline. The one seam to change when the lead's factory lands:
 * {@code CURRENT = diffbench.pipeline.Pipelines::open} (and drop {@link StandInPipeline}).
 */
@FunctionalInterface
interface PipelineOpener {

    /** Loads the pipeline; an out-of-memory here is the cell's `oom-at-load`. */
    BenchmarkPipeline open(PipelineSpec spec);

    PipelineOpener CURRENT = StandInPipeline::open;
}
