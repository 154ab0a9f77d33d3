package diffbench.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One libtorch per process: a local libtorch asked for after the engine started is refused clearly. */
class EnginesTest {
    @TempDir
    Path otherLibtorch;

    @Test
    void anotherLibtorchAfterTheEngineStartedIsRefused() {
        Engines.pytorch();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Engines.start(otherLibtorch));
        assertTrue(e.getMessage().contains("already runs on DJL's own libtorch") && e.getMessage().contains("new process"),
                e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Engines.start(otherLibtorch.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }
}
