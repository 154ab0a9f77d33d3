package diffbench.runtime;

import org.apache.commons.io.FileUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Obtains the AOTInductor package a call needs: from a folder of packages compiled elsewhere when
 * one is named (checked, refused with the reason), else from the on-disk cache
 * ({@code $DIFFBENCH_CACHE/aoti/<network>-<key digest>/model.pt2}, with {@code key.properties}), else
 * compiled by peer/aoti_compile.py under the {@code python3} whose torch the JNI is built against,
 * into the cache. A cache folder appears only complete (written aside, then moved into place).
 */
public final class AotiCompiler {
    /** The Python that compiles: {@code -Ddiffbench.python} or {@code DIFFBENCH_PYTHON}, default python3. */
    public static final String PYTHON_PROPERTY = "diffbench.python";
    public static final String PYTHON_ENV = "DIFFBENCH_PYTHON";
    /** A folder of packages compiled on another machine: {@code -Ddiffbench.aotiPackages} or {@code DIFFBENCH_AOTI_PACKAGES}. */
    public static final String PACKAGES_PROPERTY = "diffbench.aotiPackages";
    public static final String PACKAGES_ENV = "DIFFBENCH_AOTI_PACKAGES";
    /** A full-size UNet compiles in minutes on a GPU host; max-autotune much longer. */
    static final long COMPILE_TIMEOUT_MINUTES = 60;

    private static final String[] SCRIPTS = {"aoti_compile.py", "networks.py"};

    private final Path cache;
    private final Optional<Path> packages;
    private final String python;
    private String checkedPythonTorch;

    /** A package on disk and how it was obtained. */
    public record Obtained(Path pt2, Source source, double compileSeconds) {
    }

    /** Where a package came from: compiled in this run, the cache, or a folder named by the user. */
    public enum Source {
        COMPILED("miss"), CACHE("hit"), FOLDER("folder");

        private final String id;

        Source(String id) {
            this.id = id;
        }

        /** The row's compile_cache value. */
        public String id() {
            return id;
        }
    }

    /** What the compile script needs beyond the key: the archive, its Python twin, how its weights load. */
    public record Sources(Path archive, String twinSource, boolean synthetic, String inputsJson, String pythonDevice) {
    }

    /** A failed export or compile: the cell's {@code compile-error} outcome, with torch's first line. */
    public static final class CompileFailedException extends RuntimeException {
        /** Every message starts so: the harness reads the outcome from it. */
        public static final String PREFIX = "compile-error: ";

        CompileFailedException(String message) {
            super(PREFIX + message);
        }
    }

    public AotiCompiler(Path cache, Optional<Path> packages, String python) {
        this.cache = cache;
        this.packages = packages;
        this.python = python;
    }

    /** The compiler the environment names (cache under DIFFBENCH_CACHE, python and package folder as above). */
    public static AotiCompiler fromEnvironment() {
        String env = System.getenv("DIFFBENCH_CACHE");
        Path base = env != null && !env.isBlank() ? Paths.get(env)
                : Paths.get(System.getProperty("user.home"), ".cache", "diffbench");
        Optional<Path> folder = setting(PACKAGES_PROPERTY, PACKAGES_ENV).map(Paths::get);
        return new AotiCompiler(base.resolve("aoti"), folder, setting(PYTHON_PROPERTY, PYTHON_ENV).orElse("python3"));
    }

    private static Optional<String> setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /** Digest of the compile script and the loader it imports (part of every key). */
    public static String scriptDigest() {
        StringBuilder all = new StringBuilder();
        for (String name : SCRIPTS) {
            all.append(name).append('\n').append(script(name));
        }
        return AotiPackageKey.sha256(all.toString()).substring(0, 16);
    }

    /** The package for {@code key}: from the named folder, the cache, or compiled from {@code sources}. */
    public Obtained obtain(AotiPackageKey key, Sources sources) {
        if (packages.isPresent()) {
            return new Obtained(fromFolder(packages.get(), key), Source.FOLDER, 0);
        }
        Path folder = cache.resolve(key.folderName());
        Path pt2 = folder.resolve("model.pt2");
        if (Files.isRegularFile(pt2) && Files.isRegularFile(folder.resolve("key.properties"))) {
            return new Obtained(pt2, Source.CACHE, 0);
        }
        long start = System.nanoTime();
        compile(key, sources, folder);
        return new Obtained(pt2, Source.COMPILED, (System.nanoTime() - start) / 1e9);
    }

    private static Path fromFolder(Path dir, AotiPackageKey key) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the package folder " + dir + " (" + PACKAGES_PROPERTY + ") does not exist; "
                    + "fix the path, or leave it out to compile here");
        }
        List<String> refusals = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Path props = entry.resolve("key.properties");
                Path pt2 = entry.resolve("model.pt2");
                if (!Files.isRegularFile(props) || !Files.isRegularFile(pt2)) {
                    continue;
                }
                Properties stored = new Properties();
                try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
                    stored.load(r);
                }
                if (!key.sameNetwork(stored)) {
                    continue;
                }
                String mismatch = key.machineMismatch(stored);
                if (mismatch == null) {
                    return pt2;
                }
                refusals.add(entry.getFileName() + ": " + mismatch);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the package folder " + dir + ": " + e.getMessage(), e);
        }
        if (!refusals.isEmpty()) {
            throw new IllegalStateException("refused the package for " + key.network() + " in " + dir + ": "
                    + refusals.get(0) + "; compile it on a machine with the same torch and GPU, or here (leave out "
                    + PACKAGES_PROPERTY + ")");
        }
        throw new IllegalStateException("the package folder " + dir + " holds no package for " + key.network() + " "
                + key.method() + " " + key.inputs() + " (" + key.options() + "); copy it from the "
                + "compiling machine's $DIFFBENCH_CACHE/aoti, or leave out " + PACKAGES_PROPERTY + " to compile here");
    }

    private void compile(AotiPackageKey key, Sources sources, Path folder) {
        checkPythonTorch(key);
        Path partial;
        try {
            Files.createDirectories(cache);
            partial = Files.createTempDirectory(cache, ".compiling-");
            Path scripts = partial.resolve("scripts");
            Files.createDirectories(scripts);
            for (String name : SCRIPTS) {
                Files.writeString(scripts.resolve(name), script(name), StandardCharsets.UTF_8);
            }
            Files.writeString(partial.resolve("twin.py"), sources.twinSource(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write in " + cache + " (" + e.getMessage()
                    + "); set DIFFBENCH_CACHE to a writable folder", e);
        }
        List<String> command = new ArrayList<>(List.of(python, partial.resolve("scripts/aoti_compile.py").toString(),
                "--archive", sources.archive().toAbsolutePath().toString(), "--twin", partial.resolve("twin.py").toString(),
                "--method", key.method(), "--inputs", sources.inputsJson(), "--device", sources.pythonDevice(),
                "--options", key.options().id(), "--out", partial.resolve("model.pt2").toString()));
        if (sources.synthetic()) {
            command.add("--synthetic");
        }
        Path failedLog = cache.resolve(key.folderName() + ".failed.log");
        String answer;
        try {
            answer = run(command, partial.resolve("compile.log"), failedLog);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
        if (!answer.contains("\"ok\": true")) {
            deleteQuietly(partial);
            throw new CompileFailedException(field(answer, "stage") + " of " + key.network() + ": " + field(answer, "error")
                    + " (log: " + failedLog + ")");
        }
        try {
            Properties props = new Properties();
            props.putAll(key.fields());
            try (var w = Files.newBufferedWriter(partial.resolve("key.properties"), StandardCharsets.UTF_8)) {
                props.store(w, "diffbench AOTInductor package key (diffbench.runtime.AotiPackageKey)");
            }
            Files.writeString(partial.resolve("compile.json"), answer.strip() + "\n", StandardCharsets.UTF_8);
            FileUtils.deleteDirectory(partial.resolve("scripts").toFile());
            Files.deleteIfExists(partial.resolve("answer.json"));
            try {
                Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                FileUtils.deleteDirectory(partial.toFile()); // another process compiled the same package meanwhile: keep theirs
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the package in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Runs the compile script; returns its JSON answer (last stdout line). A failed run keeps its log beside the cache. */
    private String run(List<String> command, Path log, Path failedLog) {
        Path stdout = log.resolveSibling("answer.json");
        Process p;
        try {
            p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + python + " (" + e.getMessage() + "); the compiled mode compiles "
                    + "with a python3 that has torch: install it, or set " + PYTHON_PROPERTY + " / " + PYTHON_ENV, e);
        }
        // a fork stopped from outside (the harness's cell timeout) must not leave a compile running on the GPU
        Thread stop = new Thread(p::destroyForcibly, "diffbench-stop-compile");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            if (!p.waitFor(COMPILE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new CompileFailedException("no answer from " + python + " after " + COMPILE_TIMEOUT_MINUTES + " min");
            }
            List<String> lines = Files.readString(stdout, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).toList();
            String answer = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            if (!answer.contains("\"ok\": true")) {
                Files.copy(log, failedLog, StandardCopyOption.REPLACE_EXISTING);
            }
            if (answer.isEmpty()) {
                throw new CompileFailedException("the compile script exited " + p.exitValue() + " without an answer: "
                        + lastLine(log) + " (log: " + failedLog + ")");
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the compile script's answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
    }

    /** The python must have the JNI's torch (a package runs only on the torch that compiled it), with CUDA for a GPU. */
    private void checkPythonTorch(AotiPackageKey key) {
        String wanted = key.torch() + (key.device().startsWith("cuda") ? " cuda" : "");
        if (wanted.equals(checkedPythonTorch)) {
            return;
        }
        String probe = "import torch; print(torch.__version__.split('+')[0], 'cuda' if torch.cuda.is_available() else 'cpu')";
        String answer;
        try {
            Process p = new ProcessBuilder(python, "-c", probe).redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                answer = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            p.waitFor(2, TimeUnit.MINUTES);
            if (p.exitValue() != 0) {
                answer = "fails: " + lastLine(answer);
            }
        } catch (IOException | InterruptedException | IllegalThreadStateException e) {
            answer = "cannot start (" + e.getMessage() + ")";
        }
        String[] parts = answer.split(" ");
        boolean matches = parts.length == 2 && parts[0].equals(key.torch())
                && (!key.device().startsWith("cuda") || parts[1].equals("cuda"));
        if (!matches) {
            throw new IllegalStateException("the compiled mode compiles with " + python + " and torch " + key.torch()
                    + (key.device().startsWith("cuda") ? " with CUDA" : "") + " (the JNI's), but " + python + " "
                    + (parts.length == 2 ? "has torch " + parts[0] + " (" + parts[1] + ")" : lastLine(answer))
                    + "; fix: pip install torch==" + key.torch() + " for it, set " + PYTHON_PROPERTY + " / " + PYTHON_ENV
                    + " to a python that has it, or point " + PACKAGES_PROPERTY + " at packages compiled elsewhere");
        }
        checkedPythonTorch = wanted;
    }

    private static String script(String name) {
        try (InputStream in = AotiCompiler.class.getResourceAsStream("/peer/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the compile script peer/" + name + " is not on the class path; "
                        + "rebuild diffbench (mvn install)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\": \"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A string field of the script's one-line JSON answer. */
    static String field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2).replace("\\\"", "\"").replace("\\\\", "\\");
            }
        }
        return "";
    }

    /** A number field of the script's answer, or 0. */
    static double number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": ([0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String lastLine(Path log) throws IOException {
        return Files.exists(log) ? lastLine(Files.readString(log, StandardCharsets.UTF_8)) : "";
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileUtils.deleteDirectory(dir.toFile());
        } catch (IOException e) {
            System.err.println("diffbench: cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
