package diffbench.jmh;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
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

    /** A file lock is held per process: two threads of one JVM would both get it. */
    private static final ReentrantLock IN_THIS_JVM = new ReentrantLock();

    private final FileLock held;

    private CpuLock(FileLock held) {
        this.held = held;
    }

    /** Takes the lock, waiting (and saying so once) while another run's CPU cell holds it. */
    static CpuLock take(Consumer<String> say) throws IOException {
        IN_THIS_JVM.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                say.accept("another diffbench run is measuring on this machine's CPU (" + file()
                        + "): this cell waits until that cell has finished");
                lock = channel.lock();
            }
            return new CpuLock(lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            IN_THIS_JVM.unlock();
            throw e;
        }
    }

    static Path file() {
        return Path.of(System.getProperty("java.io.tmpdir"), "diffbench-cpu.lock");
    }

    @Override
    public void close() throws IOException {
        try {
            held.acquiredBy().close(); // releases the lock with the channel
        } finally {
            IN_THIS_JVM.unlock();
        }
    }
}
