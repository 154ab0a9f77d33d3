package diffbench.runtime;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Folder resolution, version reading and source packaging of the libtorch runtime selection. */
class LocalLibtorchTest {

    private static Path fakeLibtorch(Path root, String libSubdir) throws IOException {
        Path lib = root.resolve(libSubdir);
        Files.createDirectories(lib);
        Files.createFile(lib.resolve("libtorch.so"));
        Path header = root.resolve("include/torch/csrc/api/include/torch/version.h");
        Files.createDirectories(header.getParent());
        Files.writeString(header, "#pragma once\n#define TORCH_VERSION_MAJOR 2\n#define TORCH_VERSION_MINOR 11\n"
                + "#define TORCH_VERSION_PATCH 0\n#define TORCH_VERSION \"2.11.0\"\n");
        return lib;
    }

    @Test
    void findsLibFolderOfZipPipAndMultiarchLayouts(@TempDir Path dir) throws IOException {
        Path zip = fakeLibtorch(dir.resolve("zip"), "lib");
        assertEquals(zip, LocalLibtorch.libDirOf(dir.resolve("zip")));
        Path debian = fakeLibtorch(dir.resolve("usr"), "lib/x86_64-linux-gnu");
        assertEquals(debian, LocalLibtorch.libDirOf(dir.resolve("usr")));
        // the lib folder itself is accepted as the root
        assertEquals(dir.resolve("zip"), LocalLibtorch.rootOf(zip));
    }

    /** The harness hands a libtorch to its forks as a property; the command line and the environment come first. */
    @Test
    void theForkPropertyChoosesWhenNothingElseDoes(@TempDir Path dir) {
        Assumptions.assumeTrue(System.getenv(LocalLibtorch.ENV) == null, "the environment would win");
        try {
            System.setProperty(LocalLibtorch.PROPERTY, dir.toString());
            assertEquals(dir.toAbsolutePath().normalize(), LocalLibtorch.chosen(null));
            assertEquals(Path.of("/cli").toAbsolutePath(), LocalLibtorch.chosen("/cli"));
        } finally {
            System.clearProperty(LocalLibtorch.PROPERTY);
        }
        assertEquals(null, LocalLibtorch.chosen(null));
    }

    @Test
    void readsVersionFromHeaders(@TempDir Path dir) throws IOException {
        fakeLibtorch(dir, "lib");
        assertEquals("2.11.0", LocalLibtorch.versionOf(dir));
    }

    @Test
    void readsVersionFromHeaderOnlyHeaderOfNewerLibtorch(@TempDir Path dir) throws IOException {
        // libtorch 2.10+: version.h only includes torch/headeronly/version.h, which holds the numbers
        Files.createDirectories(dir.resolve("lib"));
        Path header = dir.resolve("include/torch/csrc/api/include/torch/version.h");
        Files.createDirectories(header.getParent());
        Files.writeString(header, "#include <torch/headeronly/version.h>\n");
        Path headerOnly = dir.resolve("include/torch/headeronly/version.h");
        Files.createDirectories(headerOnly.getParent());
        Files.writeString(headerOnly, "#pragma once\n#define TORCH_VERSION_MAJOR 2\n#define TORCH_VERSION_MINOR 14\n"
                + "#define TORCH_VERSION_PATCH 1\n#define TORCH_VERSION_ABI_TAG 0\n");
        assertEquals("2.14.1", LocalLibtorch.versionOf(dir));
    }

    @Test
    void missingHeadersOrLibraryGiveOneLineFix(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        var noLib = assertThrows(IllegalArgumentException.class, () -> LocalLibtorch.libDirOf(dir));
        assertTrue(noLib.getMessage().contains("Fix:"), noLib.getMessage());
        var noHeaders = assertThrows(IllegalArgumentException.class, () -> LocalLibtorch.versionOf(dir));
        assertTrue(noHeaders.getMessage().contains("libtorch-dev"), noHeaders.getMessage());
        assertFalse(noHeaders.getMessage().contains("\n"));
    }

    @Test
    void systemLibraryFoldersAreNotHandedToDjlWhole(@TempDir Path dir) throws IOException {
        assertFalse(LocalLibtorch.isDedicated(Path.of("/usr/lib/x86_64-linux-gnu")));
        assertTrue(LocalLibtorch.isDedicated(fakeLibtorch(dir, "lib")));
        Path links = LocalLibtorch.linkFolder(dir.resolve("lib"), dir.resolve("links"));
        assertTrue(Files.isSymbolicLink(links.resolve("libtorch.so")));
        assertFalse(Files.exists(links.resolve("libc10.so")), "only libraries that exist are linked");
    }

    @Test
    void nativeSourcesArePackagedAndHashed() {
        Map<String, byte[]> sources = NativeSources.read();
        assertTrue(sources.containsKey("CMakeLists.txt"));
        assertTrue(sources.containsKey("src/module.cc"));
        assertTrue(sources.containsKey("generated/ai_djl_pytorch_jni_PyTorchLibrary.h"));
        assertEquals(NativeSources.hash(sources, "a"), NativeSources.hash(sources, "a"));
        assertNotEquals(NativeSources.hash(sources, "a"), NativeSources.hash(sources, "b"));
    }

    @Test
    void djlApiVersionComesFromTheEngineJar() {
        assertEquals("0.36.0", LocalLibtorch.djlVersion());
    }
}
