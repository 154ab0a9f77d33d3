package diffbench.jmh;

import diffbench.schema.LockFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One CPU cell at a time on a machine: a fork that measures on the CPU holds
 * {@code <tmp>/diffbench-cpu.lock} while it runs, and a cell of another run waits for it. JMH's own
 * machine-wide lock did this job by failing the second runner at once ("Unable to acquire the JMH
 * lock"), which the harness recorded as an `error` row over the cell's finished one; JMH's lock is
 * lifted ({@link CellRunner}) and this one waits instead, so concurrent runs serialise their CPU cells
 * and every cell runs. GPU cells hold their card for the whole run instead ({@link CardLock}).
 */
final class CpuLock implements AutoCloseable {

    private final LockFile held;

    private CpuLock(LockFile held) {
        this.held = held;
    }

    /** Takes the lock, waiting (and saying so once) while another run's CPU cell holds it. */
    static CpuLock take(Consumer<String> say) throws IOException {
        return new CpuLock(LockFile.hold(file(), () -> say.accept("another diffbench run is measuring on this machine's CPU ("
                + file() + "): this cell waits until that cell has finished")));
    }

    static Path file() {
        return Path.of(System.getProperty("java.io.tmpdir"), "diffbench-cpu.lock");
    }

    @Override
    public void close() throws IOException {
        held.close();
    }
}
