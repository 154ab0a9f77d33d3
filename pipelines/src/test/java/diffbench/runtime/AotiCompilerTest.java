package diffbench.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a package is found without compiling: a folder of packages from another machine is checked
 * against the key and refused with the field that differs; the local cache is hit by the full key.
 * (Compiling itself, and running packages, need the project's JNI: AotiModelIT.)
 */
class AotiCompilerTest {

    private static AotiPackageKey key(String torch, String device) {
        return new AotiPackageKey("sd15-unet-tiny-fp32", "abc123", "forward",
                List.of("float32[2, 4, 8, 8]", "int64[]", "float32[2, 77, 32]"), InductorOptions.DEFAULT,
                AotiCompiler.scriptDigest(), torch, device);
    }

    private static Path store(Path dir, AotiPackageKey key) throws IOException {
        Path folder = dir.resolve(key.folderName());
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("model.pt2"), "not really a package");
        Properties p = new Properties();
        p.putAll(key.fields());
        try (Writer w = Files.newBufferedWriter(folder.resolve("key.properties"), StandardCharsets.UTF_8)) {
            p.store(w, null);
        }
        return folder.resolve("model.pt2");
    }

    /** A compile would need these; every test here must find its package without one. */
    private static final AotiCompiler.Sources NO_SOURCES = new AotiCompiler.Sources(Path.of("none.pt"), "", true, "[]", "cpu");

    @Test
    void aFolderFromAnotherMachineIsUsedWhenTorchAndDeviceMatch(@TempDir Path dir) throws IOException {
        Path pt2 = store(dir.resolve("elsewhere"), key("2.13.0", "cuda sm_90"));
        AotiCompiler compiler = new AotiCompiler(dir.resolve("cache"), Optional.of(dir.resolve("elsewhere")), "no-python");
        AotiCompiler.Obtained got = compiler.obtain(key("2.13.0", "cuda sm_90"), NO_SOURCES);
        assertEquals(pt2, got.pt2());
        assertEquals("folder", got.source().id());
        assertEquals(0.0, got.compileSeconds());
    }

    @Test
    void aFolderCompiledForAnotherTorchOrGpuIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
        store(dir.resolve("elsewhere"), key("2.12.0", "cuda sm_90"));
        AotiCompiler compiler = new AotiCompiler(dir.resolve("cache"), Optional.of(dir.resolve("elsewhere")), "no-python");
        IllegalStateException torch = assertThrows(IllegalStateException.class,
                () -> compiler.obtain(key("2.13.0", "cuda sm_90"), NO_SOURCES));
        assertTrue(torch.getMessage().contains("it was compiled for torch 2.12.0, this run needs 2.13.0"), torch.getMessage());
        IllegalStateException gpu = assertThrows(IllegalStateException.class,
                () -> compiler.obtain(key("2.12.0", "cuda sm_100"), NO_SOURCES));
        assertTrue(gpu.getMessage().contains("it was compiled for device cuda sm_90, this run needs cuda sm_100"), gpu.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> compiler.obtain(
                new AotiPackageKey("sd15-unet-tiny-fp32", "abc123", "forward", List.of("float32[4, 4, 8, 8]"),
                        InductorOptions.DEFAULT, AotiCompiler.scriptDigest(), "2.13.0", "cuda sm_90"), NO_SOURCES));
        assertTrue(none.getMessage().contains("holds no package for sd15-unet-tiny-fp32"), none.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> new AotiCompiler(dir,
                Optional.of(dir.resolve("nowhere")), "no-python").obtain(key("2.13.0", "cpu"), NO_SOURCES));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void theCacheIsHitByTheWholeKeyOnly(@TempDir Path dir) throws IOException {
        Path pt2 = store(dir, key("2.13.0", "cpu"));
        AotiCompiler compiler = new AotiCompiler(dir, Optional.empty(), dir.resolve("no-python").toString());
        AotiCompiler.Obtained hit = compiler.obtain(key("2.13.0", "cpu"), NO_SOURCES);
        assertEquals(pt2, hit.pt2());
        assertEquals("hit", hit.source().id());
        // another torch is another package: it would be compiled, and without a python that is refused naming the fix
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> compiler.obtain(key("2.14.0", "cpu"), NO_SOURCES));
        assertTrue(e.getMessage().contains("fix: pip install torch==2.14.0"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void compileRecordsSumAndMergeTheirSources() {
        CompileRecord r = CompileRecord.NONE
                .plus(new AotiCompiler.Obtained(Path.of("a"), AotiCompiler.Source.COMPILED, 20), 0.5)
                .plus(new AotiCompiler.Obtained(Path.of("b"), AotiCompiler.Source.CACHE, 0), 0.25);
        assertEquals(new CompileRecord(20, 0.75, "hit+miss"), r);
    }
}
