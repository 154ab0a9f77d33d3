package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's short questions to other programs: output on success, nothing on failure, never stuck. */
class ShortCommandTest {

    @Test
    void returnsTheOutputOfASuccessfulCommandWhateverItsSize() {
        assertEquals("a\nb\n", ShortCommand.output(List.of("sh", "-c", "echo a; echo oops >&2; echo b"), 10).orElseThrow(),
                "standard error is not part of it");
        assertEquals(2_000_000, ShortCommand.output(List.of("sh", "-c", "head -c 2000000 /dev/zero"), 10).orElseThrow().length(),
                "more than a pipe holds");
    }

    @Test
    void failsQuietlyOnAnErrorAMissingProgramOrATimeout() {
        assertTrue(ShortCommand.output(List.of("sh", "-c", "echo partial; exit 3"), 10).isEmpty());
        assertTrue(ShortCommand.output(List.of("/no/such/program"), 10).isEmpty());
        long start = System.nanoTime();
        assertTrue(ShortCommand.output(List.of("sh", "-c", "echo started; sleep 60"), 1).isEmpty());
        assertTrue(System.nanoTime() - start < 20e9, "a hung command is given up after its time");
    }
}
