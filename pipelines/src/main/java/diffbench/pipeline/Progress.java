package diffbench.pipeline;

import java.io.PrintStream;

/**
 * A one-line progress bar on an interactive console (stderr, redrawn in place); silent when output
 * goes to a file or pipe, so logs and CSV captures stay clean.
 */
public final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final int total;
    private final long start = System.nanoTime();

    private Progress(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    public static Progress start(String label, int total) {
        return new Progress(System.console() != null ? System.err : null, label, total);
    }

    public void step(int done) {
        if (out == null) {
            return;
        }
        int filled = (int) ((long) WIDTH * done / Math.max(1, total));
        double secs = (System.nanoTime() - start) / 1e9;
        out.printf("\r%s |%s%s| %d/%d [%.1f it/s]", label, "#".repeat(filled), " ".repeat(WIDTH - filled), done, total,
                done / Math.max(secs, 1e-9));
        if (done == total) {
            out.println();
        }
    }
}
