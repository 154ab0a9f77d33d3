package diffbench.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JNI's C++/CMake sources as packaged in the pipelines jar (resource folder {@code native/}),
 * so a user holding only the jar can build the JNI. In a development tree they come from
 * target/classes/native.
 */
final class NativeSources {

    private static final String ROOT = "native";

    private NativeSources() {}

    /** Relative paths and contents of the build inputs (CMake files, sources, generated headers). */
    static Map<String, byte[]> read() {
        URL marker = NativeSources.class.getClassLoader().getResource(ROOT + "/CMakeLists.txt");
        if (marker == null) {
            throw new IllegalStateException("native sources are not on the class path (resource native/CMakeLists.txt); "
                    + "rebuild the pipelines jar");
        }
        try {
            URI uri = marker.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return collect(fs.getPath("/" + ROOT));
            }
            return collect(Path.of(uri).getParent());
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read the native sources: " + e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> collect(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> files = walk.filter(Files::isRegularFile).filter(NativeSources::isBuildInput).sorted().toList();
            return files.stream().collect(Collectors.toMap(
                    p -> root.relativize(p).toString().replace('\\', '/'), NativeSources::bytes,
                    (a, b) -> a, TreeMap::new));
        }
    }

    private static boolean isBuildInput(Path p) {
        String s = p.toString().replace('\\', '/');
        return s.contains("/src/") || s.contains("/cmake/") || s.contains("/generated/") || s.endsWith("CMakeLists.txt");
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 over paths and contents, plus any extra key parts; 12 hex digits. */
    static String hash(Map<String, byte[]> sources, String... extra) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> e : sources.entrySet()) {
                sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(e.getValue());
            }
            for (String s : extra) {
                sha.update(s.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void writeTo(Map<String, byte[]> sources, Path dir) throws IOException {
        for (Map.Entry<String, byte[]> e : sources.entrySet()) {
            Path target = dir.resolve(e.getKey());
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".src", ".tmp");
            Files.write(tmp, e.getValue());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
