package diffbench.schema;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive fcntl lock on a file, held until closed, that other processes (the peer's
 * {@code lockf} included) and other threads of this JVM both wait for. A file lock belongs to the
 * process, so two threads of one JVM would overlap on it instead of waiting: each lock file also
 * has a lock for this JVM's threads. The file stays: deleting it would let two runs hold locks on
 * different files.
 */
public final class LockFile implements AutoCloseable {

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final FileLock held;
    private final ReentrantLock inThisJvm;

    private LockFile(FileLock held, ReentrantLock inThisJvm) {
        this.held = held;
        this.inThisJvm = inThisJvm;
    }

    /**
     * Takes the lock on {@code file} (created if absent; its folder must exist), running
     * {@code whileOthersHold} once first if another process holds it.
     */
    public static LockFile hold(Path file, Runnable whileOthersHold) throws IOException {
        ReentrantLock inThisJvm = IN_THIS_JVM.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new ReentrantLock());
        inThisJvm.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                whileOthersHold.run();
                lock = channel.lock();
            }
            return new LockFile(lock, inThisJvm);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // failing already; the first error says what went wrong
                }
            }
            inThisJvm.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            held.acquiredBy().close(); // releases the lock with the channel
        } finally {
            inThisJvm.unlock();
        }
    }
}
