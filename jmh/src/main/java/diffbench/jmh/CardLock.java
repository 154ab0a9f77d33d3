package diffbench.jmh;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One run per card: a run that measures a GPU holds {@code <tmp>/diffbench-gpu-<card UUID>.lock} until
 * its JVM exits, so a second run on the same card is refused instead of halving both figures. JMH's
 * own lock is one per machine, which would also stop runs on the other cards of a box: it is lifted
 * ({@link CellRunner}), GPU runs hold this one and CPU cells {@link CpuLock}.
 */
final class CardLock {

    /** Held until this JVM exits; a second run in the same JVM (tests) finds its own. */
    private static final Map<String, FileLock> HELD = new HashMap<>();

    private CardLock() {}

    /** Takes the card's lock for this process's CUDA_VISIBLE_DEVICES; see {@link #acquire(NvidiaSmi.Gpu, String)}. */
    static Optional<String> acquire(NvidiaSmi.Gpu card) {
        return acquire(card, System.getenv("CUDA_VISIBLE_DEVICES"));
    }

    /**
     * Takes the card's lock: the card's UUID, or the MIG instance's where CUDA_VISIBLE_DEVICES names one
     * (instances of one card run side by side). Empty when taken; else the message says which card and the fix.
     */
    static synchronized Optional<String> acquire(NvidiaSmi.Gpu card, String cudaVisibleDevices) {
        String first = NvidiaSmi.firstVisible(cudaVisibleDevices);
        String key = first != null && first.startsWith("MIG-") ? first : card.id();
        if (HELD.containsKey(key)) {
            return Optional.empty();
        }
        Path file = file(key);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return Optional.of("another diffbench run is measuring " + card.name() + " (" + card.id() + ") on this box: "
                        + "wait for it to finish, or pick another card with CUDA_VISIBLE_DEVICES (or -Dgpus)");
            }
            HELD.put(key, lock);
        } catch (IOException e) {
            return Optional.of("cannot take the card's lock " + file + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    static Path file(String key) {
        return Path.of(System.getProperty("java.io.tmpdir"), "diffbench-gpu-" + key.replaceAll("[^A-Za-z0-9-]", "_") + ".lock");
    }
}
