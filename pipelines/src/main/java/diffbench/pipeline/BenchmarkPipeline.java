package diffbench.pipeline;

import diffbench.runtime.CompileRecord;

import java.util.List;

/**
 * A loaded pipeline, ready to be called repeatedly: the harness opens one per cell (loading may run
 * out of memory: `oom-at-load`), calls it for warm-up and measurement, then closes it.
 */
public interface BenchmarkPipeline extends AutoCloseable {

    /** Runs one whole pipeline call (prompt to images) and returns its timings. */
    CallResult call();

    /**
     * What a user should know about this pipeline's inputs: which tokenizer runs (a stand-in with
     * synthetic weights), reconstructed configs, checkpoint keys or tensors that were not used.
     */
    default List<String> notes() {
        return List.of();
    }

    /** What compiling the denoisers has cost so far (the compiled mode; {@code NONE} for the others). */
    default CompileRecord compileRecord() {
        return CompileRecord.NONE;
    }

    /** Frees every native resource of the pipeline. */
    @Override
    void close();
}
