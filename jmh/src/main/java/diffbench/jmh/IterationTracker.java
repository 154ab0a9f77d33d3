package diffbench.jmh;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's console output, passed through, while noting which iteration began without finishing and
 * what JMH said about a failure. JMH relays these calls from the fork, so they arrive even when the
 * fork dies; warm-up iterations never reach the RunResult, only this.
 */
final class IterationTracker implements OutputFormat {

    private final OutputFormat out;
    private Phase started;
    private Phase finished;
    private boolean failed;
    private final List<String> failureLines = new ArrayList<>();
    private boolean capture;

    IterationTracker(OutputFormat out) {
        this.out = out;
    }

    /** The iteration that began and never produced a result, if any. */
    Phase unfinished() {
        return started != null && !started.equals(finished) ? started : null;
    }

    boolean failed() {
        return failed;
    }

    /** JMH's failure text: "<failure>", the stack trace or the dead fork's output tail. */
    String failureText() {
        return String.join("\n", failureLines);
    }

    private static Phase phaseOf(IterationParams params, int n) {
        return new Phase(params.getType() == IterationType.WARMUP ? Phase.Kind.warmup : Phase.Kind.iteration, n);
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int n) {
        started = phaseOf(params, n);
        out.iteration(benchParams, params, n);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int n, IterationResult data) {
        finished = phaseOf(params, n);
        out.iterationResult(benchParams, params, n, data);
    }

    @Override
    public void println(String s) {
        if (s.contains("<failure>") || s.contains("<forked VM failed")) {
            failed = true;
            capture = true;
        }
        if (capture && failureLines.size() < 200) {
            failureLines.add(s);
        }
        out.println(s);
    }

    @Override
    public void print(String s) {
        out.print(s);
    }

    @Override
    public void verbosePrintln(String s) {
        out.verbosePrintln(s);
    }

    @Override
    public void startBenchmark(BenchmarkParams benchParams) {
        out.startBenchmark(benchParams);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        capture = false;
        out.endBenchmark(result);
    }

    @Override
    public void startRun() {
        out.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        out.endRun(result);
    }

    @Override
    public void flush() {
        out.flush();
    }

    /** JMH closes its format after each run; the console must outlive every cell's run. */
    @Override
    public void close() {
        out.flush();
    }

    @Override
    public void write(int b) {
        out.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        out.write(b);
    }
}
