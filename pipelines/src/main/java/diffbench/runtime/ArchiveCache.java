package diffbench.runtime;

import diffbench.torchscript.ArchiveFormatException;
import diffbench.torchscript.ArchiveInspector;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.ModuleNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Archives on disk under {@code $DIFFBENCH_CACHE/archives} (default {@code ~/.cache/diffbench}),
 * keyed by the tree's fingerprint (architecture, dtype, attention kernel: everything but weight
 * values) and a key naming where the weights come from. A cached archive is reused after an
 * integrity check; a damaged one is written again. Files appear only when complete (the writer
 * moves them into place), so a killed run never leaves a half archive behind.
 */
public final class ArchiveCache {
    private final Path dir;

    public ArchiveCache(Path dir) {
        this.dir = dir;
    }

    /** The cache the environment names: {@code DIFFBENCH_CACHE}, else {@code ~/.cache/diffbench}. */
    public static ArchiveCache fromEnvironment() {
        String env = System.getenv("DIFFBENCH_CACHE");
        Path base = env != null && !env.isBlank() ? Paths.get(env)
                : Paths.get(System.getProperty("user.home"), ".cache", "diffbench");
        return new ArchiveCache(base.resolve("archives"));
    }

    /**
     * @param name readable file-name stem, e.g. {@code sd15-unet-fp16}
     * @param weightsKey identifies the weight values: {@code synthetic-on-device}, {@code seeded-7},
     *                   or a real checkpoint's path and file sizes
     */
    public Path archive(String name, ModuleNode root, String weightsKey) {
        String key = sha256(ArchiveWriter.fingerprint(root) + "\n" + weightsKey).substring(0, 16);
        Path file = dir.resolve(name + "-" + key + ".pt");
        try {
            if (Files.isRegularFile(file)) {
                try {
                    ArchiveInspector.inspect(file);
                    return file;
                } catch (ArchiveFormatException damaged) {
                    System.err.println("diffbench: cached archive is damaged, writing it again: " + damaged.getMessage());
                }
            }
            Files.createDirectories(dir);
            ArchiveWriter.write(root, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " (" + e.getMessage()
                    + "); set DIFFBENCH_CACHE to a writable folder", e);
        }
    }

    public Path dir() {
        return dir;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
