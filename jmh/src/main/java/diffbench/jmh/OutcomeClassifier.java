package diffbench.jmh;

import org.openjdk.jmh.results.RunResult;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Names a cell's outcome from three witnesses: the fork's own report (phase + exception, written
 * before JMH sees anything), JMH's console (which iteration began without a result, a dead fork's
 * output tail) and the RunResult (were all measured calls there). JMH alone cannot tell a failed
 * load from a failed first call, and drops a throwing benchmark's result altogether.
 */
final class OutcomeClassifier {

    /** JMH's line for a fork that died of SIGKILL. */
    private static final Pattern KILLED = Pattern.compile("exit code 137\\b");

    private OutcomeClassifier() {}

    static CellOutcome classify(boolean timedOut, long timeoutSeconds, ForkReport.Content report,
            IterationTracker jmh, RunResult result, int measurements) {
        if (timedOut) {
            return CellOutcome.timeout("no result after " + timeoutSeconds + " s (in " + report.phase
                    + "); the fork was killed");
        }
        if (report.failure != null) {
            return CellOutcome.failedAt(report.phase(), report.failureIsOom, oneLine(report.failure));
        }
        int measured = result == null ? 0 : result.getBenchmarkResults().stream()
                .mapToInt(b -> b.getIterationResults().size()).sum();
        if (!jmh.failed() && jmh.unfinished() == null && measured >= measurements) {
            return CellOutcome.OK;
        }
        // The fork died without an exception (native abort, killed): where it was, and what it printed.
        Phase where = report.phase().kind() != Phase.Kind.done ? report.phase() : jmh.unfinished();
        String text = jmh.failureText();
        String message = text.isBlank() ? "only " + measured + " of " + measurements + " measured calls completed"
                : firstMeaningfulLine(text);
        if (KILLED.matcher(text).find()) {
            // the kernel's OOM killer sends SIGKILL (exit 128 + 9) and tells only the kernel log
            message = "the fork was killed (SIGKILL, exit code 137), probably because host memory ran out: "
                    + "use a smaller batch (" + message + ")";
        }
        return CellOutcome.failedAt(where, OomClassifier.isOomText(text), message);
    }

    private static String firstMeaningfulLine(String text) {
        return Arrays.stream(text.split("\n")).map(String::trim)
                .filter(l -> !l.isEmpty() && !l.equals("<failure>"))
                .findFirst().orElse(text.trim());
    }

    /**
     * Exception messages from libtorch span lines (C++ backtraces); a CSV cell wants the first. DJL's
     * EngineException puts libtorch's text on the lines below its own empty message, so a first line
     * that only names the exception takes the next line with it.
     */
    static String oneLine(String message) {
        List<String> lines = message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String first = lines.isEmpty() ? "" : lines.get(0);
        if (first.endsWith(":") && lines.size() > 1) {
            first = first + " " + lines.get(1);
        }
        return first.length() > 500 ? first.substring(0, 500) + "..." : first;
    }
}
