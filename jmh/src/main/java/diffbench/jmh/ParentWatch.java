package diffbench.jmh;

import java.io.IOException;
import java.util.Optional;

/**
 * Ends this JVM, and every process it started, once the process that started it is gone: a run leaves
 * nothing behind whichever of its processes is killed. `mvn jmh:run` names itself to the harness, the
 * harness names itself to each JMH fork and each `--gpus` harness ({@value #PROPERTY}); without the
 * property (the harness started by hand or under nohup) nothing is watched.
 *
 * <p>A thread polls the parent's {@link ProcessHandle} (whose liveness check also compares the start
 * time, so a reused pid is not taken for the parent). Linux's prctl(PR_SET_PDEATHSIG) would need
 * native code the harness and its forks do not otherwise load, and fires when the forking *thread*
 * ends, not the process: a JVM starts children from whichever thread asks, so it would kill forks
 * whose parent is alive. Polling works on every OS the JVM runs on; the cost is up to a second.
 */
final class ParentWatch {

    /** The pid of the process whose end ends this JVM. */
    static final String PROPERTY = "diffbench.parentPid";

    private static final long POLL_MILLIS = 500;

    /** Set once the parent is gone: from then on this JVM records nothing (see {@link #unlessStopping}). */
    private static volatile boolean stopping;

    /** Held while a cell's rows are written, and by the watcher before it kills anything. */
    private static final Object RECORDING = new Object();

    /** A write of a cell's results. */
    interface Recording {
        void write() throws IOException;
    }

    private ParentWatch() {}

    /** Starts watching the process {@value #PROPERTY} names, if any; {@code who} names this JVM in the last line it prints. */
    static void startFromSystemProperty(String who) {
        String pid = System.getProperty(PROPERTY);
        if (pid == null || pid.isBlank()) {
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid.trim()));
        Thread watcher = new Thread(() -> {
            while (parent.map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("diffbench: " + who + ": the process that started it (pid " + pid.trim()
                    + ") is gone; stopping, with every process it started");
            stopping = true;
            // a write already under way finishes (its cell ended before the stop); none starts after this
            synchronized (RECORDING) {
                ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                // halt, not exit: a shutdown hook or a thread stuck in native code must not keep this process alive
                Runtime.getRuntime().halt(1);
            }
        }, "diffbench-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * Writes a cell's results unless this JVM is stopping because its parent is gone. The stop kills the
     * cell's fork, and the harness would otherwise record that kill as the cell's `error`: a row that
     * replaces a finished one, or that a resumed run takes as finished. Returns whether it wrote.
     */
    static boolean unlessStopping(Recording recording) throws IOException {
        synchronized (RECORDING) {
            if (stopping) {
                return false;
            }
            recording.write();
            return true;
        }
    }

    /** The option that makes a child JVM watch this one. */
    static String childOption() {
        return "-D" + PROPERTY + "=" + ProcessHandle.current().pid();
    }
}
