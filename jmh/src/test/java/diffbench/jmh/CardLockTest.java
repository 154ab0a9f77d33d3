package diffbench.jmh;

import diffbench.testing.Needs;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One run per card: a second run on a card another process measures is refused; other cards and MIG instances are free. */
class CardLockTest {

    private static final NvidiaSmi.Gpu H100 = new NvidiaSmi.Gpu("NVIDIA H100 80GB HBM3", 81559, "580.1",
            "GPU-cardlocktest-" + ProcessHandle.current().pid());

    @Test
    void aCardAnotherProcessMeasuresIsRefusedNamingTheFix() throws Exception {
        Needs.python3();
        // another run: a process holding the card's lock (python's lockf takes the same fcntl lock as Java's FileChannel)
        Process other = new ProcessBuilder("python3", "-c", String.join("\n",
                "import fcntl, sys, time",
                "f = open(sys.argv[1], 'a'); fcntl.lockf(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)"),
                CardLock.file(H100.id()).toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("held", out.readLine());
            assertEquals(Optional.of("another diffbench run is measuring NVIDIA H100 80GB HBM3 (" + H100.id() + ") on this box: "
                    + "wait for it to finish, or pick another card with CUDA_VISIBLE_DEVICES (or -Dgpus)"),
                    CardLock.acquire(H100, "0"));
            assertEquals(Optional.empty(), CardLock.acquire(H100, "MIG-cardlocktest-" + ProcessHandle.current().pid()),
                    "a MIG instance of the card is its own");
        } finally {
            other.destroyForcibly();
            other.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(Optional.empty(), CardLock.acquire(H100, "0"), "free once the other run ended");
        assertEquals(Optional.empty(), CardLock.acquire(H100, "0"), "and this JVM's own run may take it again");
        Files.deleteIfExists(CardLock.file(H100.id())); // this test's made-up cards leave nothing in /tmp
        Files.deleteIfExists(CardLock.file("MIG-cardlocktest-" + ProcessHandle.current().pid()));
    }
}
