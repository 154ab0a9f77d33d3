package diffbench.torchscript;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a module tree as a TorchScript archive that libtorch's {@code torch::jit::load} reads:
 * {@code data.pkl}, one source file per class qualifier under {@code code/}, {@code constants.pkl},
 * {@code version}, {@code byteorder}, and one {@code data/<key>} record per storage. Storages are
 * streamed from their payloads, so memory use does not grow with the archive. The file appears
 * under its name only once complete (written beside it, then moved).
 */
public final class ArchiveWriter {
    /** The folder every record sits in; torch accepts any name. */
    public static final String TOP = "archive";
    private static final int CHUNK_VALUES = 1 << 16;

    private ArchiveWriter() {
    }

    public static void write(ModuleNode root, Path file) throws IOException {
        IdentityHashMap<TensorRef, String> storageKeys = new IdentityHashMap<>();
        byte[] dataPkl = new Pickler(storageKeys).pickleRoot(root);
        Map<String, String> code = ClassSources.of(root).files();
        List<Map.Entry<TensorRef, String>> storages = new ArrayList<>(storageKeys.entrySet());
        storages.sort((a, b) -> Integer.compare(Integer.parseInt(a.getValue()), Integer.parseInt(b.getValue())));

        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, file.getFileName().toString(), ".partial");
        try {
            readableByOthers(partial); // the rename hands on a temp file's owner-only permissions
            try (ZipRecordWriter zip = new ZipRecordWriter(partial)) {
                zip.record(TOP + "/data.pkl", dataPkl);
                for (Map.Entry<String, String> source : code.entrySet()) {
                    zip.record(TOP + "/code/" + source.getKey(), source.getValue().getBytes(StandardCharsets.UTF_8));
                }
                zip.record(TOP + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
                zip.record(TOP + "/version", "3\n".getBytes(StandardCharsets.UTF_8));
                zip.record(TOP + "/byteorder", "little".getBytes(StandardCharsets.UTF_8));
                for (Map.Entry<TensorRef, String> s : storages) {
                    TensorRef t = s.getKey();
                    zip.record(TOP + "/data/" + s.getValue(), out -> writeStorage(t, out));
                }
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void readableByOthers(Path partial) throws IOException {
        try {
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // the file system's own defaults
        }
    }

    /**
     * A digest of everything in the archive except the weight values: module tree, class sources,
     * storage types, shapes and strides. Two trees with the same fingerprint and the same weights
     * write the same archive, so it keys a cache.
     */
    public static String fingerprint(ModuleNode root) {
        IdentityHashMap<TensorRef, String> storageKeys = new IdentityHashMap<>();
        byte[] dataPkl = new Pickler(storageKeys).pickleRoot(root);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(dataPkl);
            ClassSources.of(root).files().forEach((path, source) -> {
                sha.update(path.getBytes(StandardCharsets.UTF_8));
                sha.update(source.getBytes(StandardCharsets.UTF_8));
            });
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static void writeStorage(TensorRef t, OutputStream out) throws IOException {
        StorageType type = t.type();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_VALUES * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        long[] written = {0};
        t.payload().emit(t.storageNumel(), (values, count) -> {
            for (int i = 0; i < count; i++) {
                if (!buf.hasRemaining()) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                float v = values[i];
                switch (type) {
                    case FLOAT32 -> buf.putFloat(v);
                    case FLOAT16 -> buf.putShort(HalfFloats.toFloat16(v));
                    case BFLOAT16 -> buf.putShort(HalfFloats.toBFloat16(v));
                    case INT64 -> buf.putLong((long) v);
                }
            }
            written[0] += count;
        });
        out.write(buf.array(), 0, buf.position());
        if (written[0] != t.storageNumel()) {
            throw new IOException("payload of a " + t + " tensor gave " + written[0] + " values, its storage holds "
                    + t.storageNumel());
        }
    }
}
