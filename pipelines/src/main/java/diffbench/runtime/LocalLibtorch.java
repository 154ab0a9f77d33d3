package diffbench.runtime;

import ai.djl.engine.Engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs DJL on a libtorch found on this machine ({@code --libtorch DIR} or {@code DIFFBENCH_LIBTORCH}):
 * builds diffbench's JNI for it once (cached under
 * {@code ${DIFFBENCH_CACHE:-~/.cache/diffbench}/jni/<libtorch version>-<hash>/}), places it where
 * DJL's LibUtils looks first (the engine cache folder), sets DJL's variables as system properties
 * and starts the engine. Without a libtorch folder DJL's own path (2.7.1 from the class path or a
 * download) stays in charge.
 *
 * <p>DJL reads each variable from the environment first, then from system properties; an
 * environment value that disagrees with the setup here is reported, not silently overridden.
 */
public final class LocalLibtorch {

    public static final String ENV = "DIFFBENCH_LIBTORCH";
    /**
     * The same choice as a system property: how the harness hands the libtorch it found to its forks.
     * (Not {@code diffbench.libtorch}: that Maven property points the native tests at a libtorch, and
     * Surefire passes it to every test JVM.)
     */
    public static final String PROPERTY = "diffbench.engine.libtorch";

    private static final Pattern VERSION_DEFINE = Pattern.compile("#define TORCH_VERSION_(MAJOR|MINOR|PATCH) (\\d+)");

    /** What was set up: feed it to reports (libtorch version, flavor) and diagnostics. */
    public record Setup(Path root, Path libDir, String version, String flavor, Path jni, Path libraryPath,
            Path engineCacheDir) {}

    private LocalLibtorch() {}

    /** The libtorch folder chosen: the CLI value wins over the environment, the environment over {@link #PROPERTY}. */
    public static Path chosen(String cliValue) {
        String value = cliValue != null && !cliValue.isBlank() ? cliValue : System.getenv(ENV);
        if (value == null || value.isBlank()) {
            value = System.getProperty(PROPERTY);
        }
        return value == null || value.isBlank() ? null : Path.of(value).toAbsolutePath().normalize();
    }

    /**
     * Whether the user gave a libtorch: {@code DIFFBENCH_LIBTORCH}, or DJL's own library path as
     * run-on-gpu-box.sh sets it; without either DJL runs pytorch-native-cpu from the class path.
     */
    public static boolean isConfigured(Map<String, String> environment) {
        return !environment.getOrDefault(ENV, "").isBlank()
                || !environment.getOrDefault("PYTORCH_LIBRARY_PATH", "").isBlank();
    }

    /** Builds, places and configures; then starts the PyTorch engine and checks it runs our JNI. */
    public static Setup activate(Path libtorch) {
        Setup setup = prepare(libtorch);
        Engine engine = Engine.getEngine("PyTorch");
        if (!CudaExtras.isSupported()) {
            throw new IllegalStateException("DJL started the PyTorch engine without diffbench's JNI ("
                    + CudaExtras.reasonUnsupported() + "); was the engine started before LocalLibtorch.activate? "
                    + "engine=" + engine);
        }
        return setup;
    }

    /** Everything but starting the engine: build or reuse the JNI, place it, set DJL's variables. */
    public static Setup prepare(Path libtorch) {
        Path root = rootOf(libtorch);
        Path libDir = libDirOf(root);
        String version = versionOf(root);
        String flavor = Files.exists(libDir.resolve("libtorch_cuda.so")) ? "cuda" : "cpu";
        Map<String, byte[]> sources = NativeSources.read();
        Path cache = cacheRoot().resolve("jni").resolve(version + "-" + NativeSources.hash(sources, libDir.toString()));
        try {
            Path jni = JniBuilder.build(sources, cache.resolve("lib"), root);
            Path libraryPath = isDedicated(libDir) ? libDir : linkFolder(libDir, cache.resolve("libtorch"));
            Path engineCache = cache.resolve("engine");
            Path placed = engineCache.resolve("pytorch").resolve(version + "-" + flavor + "-linux-x86_64")
                    .resolve(djlVersion() + "-libdjl_torch.so");
            if (!Files.exists(placed)) {
                Files.createDirectories(placed.getParent());
                Path tmp = Files.createTempFile(placed.getParent(), ".jni", ".tmp");
                Files.copy(jni, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, placed, StandardCopyOption.ATOMIC_MOVE);
            }
            for (String name : List.of(djlVersion() + "-libdjl_torch.so", "libdjl_torch.so")) {
                if (Files.exists(libraryPath.resolve(name))) {
                    throw new IllegalStateException(libraryPath.resolve(name) + " would be loaded before diffbench's "
                            + "JNI (DJL looks in the libtorch folder first). Fix: remove it");
                }
            }
            setDjlVariable("PYTORCH_LIBRARY_PATH", libraryPath.toString());
            setDjlVariable("PYTORCH_VERSION", version);
            setDjlVariable("PYTORCH_FLAVOR", flavor);
            setDjlVariable("ENGINE_CACHE_DIR", engineCache.toString());
            return new Setup(root, libDir, version, flavor, placed, libraryPath, engineCache);
        } catch (IOException e) {
            throw new UncheckedIOException("diffbench JNI: cannot prepare " + cache + ": " + e.getMessage(), e);
        }
    }

    /** Accepts the libtorch root or its lib folder. */
    static Path rootOf(Path libtorch) {
        Path dir = libtorch.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("libtorch folder " + dir + " does not exist");
        }
        if (Files.exists(dir.resolve("libtorch.so")) && !Files.isDirectory(dir.resolve("include"))
                && dir.getParent() != null && Files.isDirectory(dir.getParent().resolve("include"))) {
            return dir.getParent();
        }
        return dir;
    }

    /** Same search as native/cmake/DiffbenchTorch.cmake: lib/, lib/<multiarch>/, lib64/, the root. */
    static Path libDirOf(Path root) {
        Path lib = root.resolve("lib");
        if (Files.exists(lib.resolve("libtorch.so"))) {
            return lib;
        }
        if (Files.isDirectory(lib)) {
            try (Stream<Path> sub = Files.list(lib)) {
                var multiarch = sub.filter(d -> Files.exists(d.resolve("libtorch.so"))).sorted().findFirst();
                if (multiarch.isPresent()) {
                    return multiarch.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Path candidate : List.of(root.resolve("lib64"), root)) {
            if (Files.exists(candidate.resolve("libtorch.so"))) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no libtorch.so under " + root + "/lib. Fix: pass the folder that holds "
                + "include/ and lib/ (a libtorch zip, site-packages/torch, or /usr for Debian's libtorch-dev)");
    }

    /** The version of the libtorch in a folder as {@link #chosen} names it, read from its headers (nothing is loaded). */
    public static String version(Path libtorch) {
        return versionOf(rootOf(libtorch));
    }

    static String versionOf(Path root) {
        Path header = root.resolve("include/torch/csrc/api/include/torch/version.h");
        if (!Files.exists(header)) {
            throw new IllegalArgumentException("libtorch headers missing: " + header + " not found. Fix: install the "
                    + "headers (Debian: apt-get install libtorch-dev; pip wheels ship them in torch/include)");
        }
        // libtorch 2.10+ keeps the numbers in torch/headeronly/version.h, which version.h includes
        Path headerOnly = root.resolve("include/torch/headeronly/version.h");
        if (Files.exists(headerOnly)) {
            header = headerOnly;
        }
        try {
            String text = Files.readString(header);
            Matcher m = VERSION_DEFINE.matcher(text);
            String[] parts = new String[3];
            while (m.find()) {
                parts[switch (m.group(1)) { case "MAJOR" -> 0; case "MINOR" -> 1; default -> 2; }] = m.group(2);
            }
            if (parts[0] == null || parts[1] == null || parts[2] == null) {
                throw new IllegalArgumentException("cannot read the libtorch version from " + header);
            }
            return String.join(".", parts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * DJL System.load()s every library in PYTORCH_LIBRARY_PATH; a system folder such as
     * /usr/lib/x86_64-linux-gnu (Debian) must not be handed over whole.
     */
    static boolean isDedicated(Path libDir) {
        String s = libDir.toString();
        if (s.startsWith("/usr/lib") || s.startsWith("/lib") || s.startsWith("/usr/local/lib")) {
            return false;
        }
        try (Stream<Path> files = Files.list(libDir)) {
            return files.count() < 200;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A folder of links to libtorch's own libraries only. Fine for system installs (their
     * dependencies resolve through the system paths); not used for pip/zip folders, whose $ORIGIN
     * RPATHs would break through links.
     */
    static Path linkFolder(Path libDir, Path links) throws IOException {
        Files.createDirectories(links);
        for (String name : List.of("libc10.so", "libtorch_cpu.so", "libtorch.so", "libc10_cuda.so", "libtorch_cuda.so")) {
            Path target = libDir.resolve(name);
            Path link = links.resolve(name);
            if (Files.exists(target) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, target.toRealPath());
            }
        }
        return links;
    }

    static void setDjlVariable(String name, String value) {
        String env = System.getenv(name);
        if (env != null && !env.isEmpty() && !env.equals(value)) {
            throw new IllegalStateException("environment variable " + name + "=" + env + " overrides diffbench's "
                    + value + " (DJL reads the environment first). Fix: unset " + name);
        }
        System.setProperty(name, value);
    }

    static Path cacheRoot() {
        String dir = System.getenv("DIFFBENCH_CACHE");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "diffbench");
    }

    /** The DJL API version in the JNI file name LibUtils looks for ("0.36.0-libdjl_torch.so"). */
    static String djlVersion() {
        try (InputStream in = LocalLibtorch.class.getClassLoader().getResourceAsStream("pytorch-engine.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("djl_version", "0.36.0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code java diffbench.runtime.LocalLibtorch --libtorch DIR}: build, start, print what runs.
     * Without a folder (run-on-gpu-box.sh has already set DJL's variables) it only starts and prints.
     */
    public static void main(String[] args) {
        String cli = args.length == 2 && args[0].equals("--libtorch") ? args[1] : null;
        Path dir = chosen(cli);
        if (!isConfigured(System.getenv()) && dir == null) {
            System.err.println("usage: LocalLibtorch --libtorch DIR (or set " + ENV + ")");
            System.exit(2);
        }
        try {
            if (dir != null) {
                Setup setup = activate(dir);
                System.out.println("libtorch " + setup.version() + " (" + setup.flavor() + ") from " + setup.libDir());
                System.out.println("JNI " + setup.jni());
            }
            Engine engine = Engine.getEngine("PyTorch");
            System.out.println("engine " + engine.getEngineName() + " " + engine.getVersion() + ", diffbench JNI "
                    + (CudaExtras.isSupported() ? "built against libtorch " + CudaExtras.torchVersion()
                            : "absent: " + CudaExtras.reasonUnsupported()));
            System.out.println("CUDA " + CudaExtras.hasCuda() + (CudaExtras.hasCuda()
                    ? ", device 0 memory " + CudaExtras.memoryStats(0) : ""));
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
