package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the harness finds a CUDA libtorch in a Python when DIFFBENCH_LIBTORCH is not set. */
class PythonTorchTest {

    @Test
    void readsVersionCudaAndFolder() {
        PythonTorch t = PythonTorch.parse("2.11.0+cu130\n13.0\n/usr/lib/python3/site-packages/torch\n").orElseThrow();
        assertEquals("2.11.0+cu130", t.version());
        assertTrue(t.hasCuda());
        assertEquals(Path.of("/usr/lib/python3/site-packages/torch"), t.dir());
        assertFalse(PythonTorch.parse("2.13.0+cpu\n\n/opt/torch\n").orElseThrow().hasCuda(), "a CPU build");
        assertTrue(PythonTorch.parse("").isEmpty());
    }

    /** A Python that prints what pip's CUDA torch prints, and one that has no torch. */
    @Test
    void asksThePython(@TempDir Path dir) throws Exception {
        Path cuda = script(dir, "cuda-python", "echo 2.11.0+cu130; echo 13.0; echo /site/torch");
        assertEquals(Optional.of(new PythonTorch("2.11.0+cu130", "13.0", Path.of("/site/torch"))), PythonTorch.of(cuda.toString()));
        Path none = script(dir, "no-torch", "echo 'ModuleNotFoundError: No module named torch' >&2; exit 1");
        assertTrue(PythonTorch.of(none.toString()).isEmpty());
        assertTrue(PythonTorch.of(dir.resolve("missing").toString()).isEmpty());
    }

    private static Path script(Path dir, String name, String body) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }
}
