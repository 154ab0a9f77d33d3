package diffbench.jmh;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The harness's standard output, shared by JMH's console format and the progress lines: JMH writes
 * "# Warmup Iteration   2: " and the figure later, so a progress line written in between starts on
 * a line of its own instead of inside JMH's.
 */
final class Console extends PrintStream {

    private boolean atLineStart = true;

    Console(OutputStream out) {
        super(out, true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        super.write(b);
        atLineStart = b == '\n';
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) {
        super.write(buf, off, len);
        if (len > 0) {
            atLineStart = buf[off + len - 1] == '\n';
        }
    }

    /** One whole line, on a line of its own. */
    synchronized void line(String s) {
        if (!atLineStart) {
            println();
        }
        println(s);
    }
}
