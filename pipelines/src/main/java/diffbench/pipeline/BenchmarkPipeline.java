package diffbench.pipeline;

/**
 * A loaded pipeline, ready to be called repeatedly: the harness opens one per cell (loading may run
 * out of memory: `oom-at-load`), calls it for warm-up and measurement, then closes it.
 */
public interface BenchmarkPipeline extends AutoCloseable {

    /** Runs one whole pipeline call (prompt to images) and returns its timings. */
    CallResult call();

    /** Frees every native resource of the pipeline. */
    @Override
    void close();
}
