package diffbench.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds libdjl_torch.so with CMake into a cache folder, once: concurrent JVMs (JMH forks) wait on
 * a file lock, and later runs reuse the finished library.
 */
final class JniBuilder {

    private JniBuilder() {}

    /** Thrown with a one-line message that names the fix. */
    static final class BuildException extends RuntimeException {
        BuildException(String message) {
            super(message);
        }
    }

    /**
     * Returns {@code <cacheDir>/libdjl_torch.so}, building it from the sources if absent.
     *
     * @param libtorchRoot folder with include/ and lib/ passed to CMake as LIBTORCH
     */
    static Path build(Map<String, byte[]> sources, Path cacheDir, Path libtorchRoot) throws IOException {
        Path library = cacheDir.resolve("libdjl_torch.so");
        if (Files.exists(library)) {
            return library;
        }
        Files.createDirectories(cacheDir);
        try (FileChannel lockFile = FileChannel.open(cacheDir.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock ignored = lockFile.lock()) {
            if (Files.exists(library)) {
                return library; // another JVM finished it while we waited
            }
            requireTool("cmake", "apt-get install cmake (or pip install cmake)");
            if (findOnPath("c++") == null && findOnPath("g++") == null) {
                throw new BuildException("diffbench JNI: no C++ compiler on PATH. Fix: apt-get install g++");
            }
            Path src = cacheDir.resolve("src");
            Path build = cacheDir.resolve("build");
            NativeSources.writeTo(sources, src);
            Path log = cacheDir.resolve("build.log");
            Files.deleteIfExists(log);
            List<String> configure = new ArrayList<>(List.of("cmake", "-S", src.toString(), "-B", build.toString(),
                    "-DCMAKE_BUILD_TYPE=Release", "-DLIBTORCH=" + libtorchRoot));
            if (findOnPath("ninja") != null) {
                configure.add("-GNinja");
            }
            Path jniInclude = Path.of(System.getProperty("java.home"), "include");
            if (Files.exists(jniInclude.resolve("jni.h"))) {
                configure.add("-DJNI_INCLUDE_DIR=" + jniInclude);
            }
            run(configure, log);
            int jobs = Math.max(1, Runtime.getRuntime().availableProcessors());
            run(List.of("cmake", "--build", build.toString(), "--parallel", String.valueOf(jobs)), log);
            Path built = build.resolve("libdjl_torch.so");
            Path tmp = Files.createTempFile(cacheDir, ".jni", ".tmp");
            Files.copy(built, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, library, StandardCopyOption.ATOMIC_MOVE);
            Files.copy(build.resolve("diffbench-jni.properties"), cacheDir.resolve("diffbench-jni.properties"),
                    StandardCopyOption.REPLACE_EXISTING);
            return library;
        }
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new BuildException("diffbench JNI: build timed out; see " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BuildException("diffbench JNI: build interrupted");
        }
        if (p.exitValue() != 0) {
            throw new BuildException("diffbench JNI: " + firstError(log) + " (full log: " + log + ")");
        }
    }

    /** The first line of the log that says what went wrong (CMake's messages name the fix). */
    private static String firstError(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        for (String line : lines) {
            if (line.contains("diffbench:") && line.contains("Fix:")) {
                return line.substring(line.indexOf("diffbench:") + "diffbench:".length()).trim();
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("error:") || line.contains("CMake Error")) {
                String next = i + 1 < lines.size() ? " " + lines.get(i + 1).trim() : "";
                return (line.trim() + next).trim();
            }
        }
        return "CMake build failed";
    }

    private static void requireTool(String tool, String fix) {
        if (findOnPath(tool) == null) {
            throw new BuildException("diffbench JNI: `" + tool + "` not found on PATH. Fix: " + fix);
        }
    }

    static Path findOnPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
