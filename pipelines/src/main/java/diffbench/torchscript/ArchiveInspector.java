package diffbench.torchscript;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Checks an archive before libtorch reads it, because libtorch trusts storage sizes and a bad
 * record would surface as a crash or a confusing native error: the zip must be complete, every
 * storage's type known, every {@code data/<key>} record present with exactly the bytes its pickle
 * declares, and every tensor view inside its storage. Returns the tensors by attribute path.
 */
public final class ArchiveInspector {

    /** One tensor of the archive, by its dotted path in the module tree. */
    public record TensorInfo(String path, StorageType type, long[] shape) {
        @Override
        public String toString() {
            return path + " " + type.shortName() + Arrays.toString(shape);
        }
    }

    private ArchiveInspector() {
    }

    public static Map<String, TensorInfo> inspect(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String top = topFolder(zip, file);
            ZipEntry pkl = zip.getEntry(top + "/data.pkl");
            if (pkl == null) {
                throw new ArchiveFormatException(file + ": record " + top + "/data.pkl is missing");
            }
            Object root;
            try (InputStream in = zip.getInputStream(pkl)) {
                root = Unpickler.load(in.readAllBytes(), file + ": " + top + "/data.pkl");
            }
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            walk(root, "", zip, top, file, tensors);
            return tensors;
        } catch (ZipException e) {
            throw new ArchiveFormatException(file + ": not a complete zip archive (truncated or corrupt: "
                    + e.getMessage() + "); delete it and write it again", e);
        } catch (IOException e) {
            throw new ArchiveFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String topFolder(ZipFile zip, Path file) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        if (!entries.hasMoreElements()) {
            throw new ArchiveFormatException(file + ": empty zip");
        }
        String name = entries.nextElement().getName();
        int slash = name.indexOf('/');
        if (slash < 0) {
            throw new ArchiveFormatException(file + ": record " + name + " is not inside a top folder");
        }
        return name.substring(0, slash);
    }

    private static void walk(Object node, String path, ZipFile zip, String top, Path file, Map<String, TensorInfo> out) {
        if (node instanceof Unpickler.PickledObject o) {
            o.state().forEach((k, v) -> walk(v, path.isEmpty() ? k.toString() : path + "." + k, zip, top, file, out));
        } else if (node instanceof Unpickler.PickledTensor t) {
            out.put(path, check(t, path, zip, top, file));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "." + i, zip, top, file, out);
            }
        }
    }

    private static TensorInfo check(Unpickler.PickledTensor t, String path, ZipFile zip, String top, Path file) {
        String record = top + "/data/" + t.storage().key();
        StorageType type = StorageType.fromTorchName(t.storage().typeName());
        if (type == null) {
            throw new ArchiveFormatException(file + ": record " + record + " (tensor " + path + ") has unknown dtype torch."
                    + t.storage().typeName() + "; known: " + Arrays.stream(StorageType.values())
                    .map(StorageType::torchName).collect(Collectors.joining(", ")));
        }
        ZipEntry e = zip.getEntry(record);
        if (e == null) {
            throw new ArchiveFormatException(file + ": record " + record + " (tensor " + path + ") is missing");
        }
        long expected = t.storage().numel() * type.bytes();
        if (e.getSize() != expected) {
            throw new ArchiveFormatException(file + ": record " + record + " (tensor " + path + ") holds " + e.getSize()
                    + " bytes, its pickle declares " + t.storage().numel() + " x " + type.shortName() + " = "
                    + expected + " bytes");
        }
        long[] shape = t.shape().stream().mapToLong(Long::longValue).toArray();
        long last = t.offset();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > 0) {
                last += (shape[i] - 1) * t.strides().get(i);
            }
        }
        if (TensorRef.numel(shape) > 0 && last >= t.storage().numel()) {
            throw new ArchiveFormatException(file + ": tensor " + path + " " + Arrays.toString(shape)
                    + " reaches element " + last + " of record " + record + ", which holds " + t.storage().numel());
        }
        return new TensorInfo(path, type, shape);
    }

    /** Names of the records of an archive, in file order (for tests and diagnostics). */
    public static List<String> recordNames(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            zip.stream().forEach(e -> names.add(e.getName()));
        }
        return names;
    }
}
