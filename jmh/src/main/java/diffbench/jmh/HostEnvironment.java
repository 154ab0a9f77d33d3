package diffbench.jmh;

import diffbench.schema.GpuSlug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the harness knows about the machine without loading the engine: the GPU (nvidia-smi), JVM,
 * host, the checkout's commit, which JNI is in use, and the configured engine versions (each fork
 * reports the ones it really loaded; these stand in when it did not).
 */
record HostEnvironment(Optional<NvidiaSmi.Gpu> gpu, String jvm, String host, String hostCpu, String gitCommit, String jni,
        EngineVersions engine) {

    static final String JNI_PROPERTY = "diffbench.jni";
    /** The {@code jni} of rows whose forks run the project's JNI (any local libtorch goes through it). */
    static final String PROJECT_JNI = "diffbench";
    static final String CPU_SLUG = "cpu-smoke";

    static HostEnvironment detect(Path root) {
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        return new HostEnvironment(NvidiaSmi.query(), jvm, hostName(), hostCpu(Path.of("/proc/cpuinfo")), gitCommit(root),
                System.getProperty(JNI_PROPERTY, "djl"), EngineVersions.configured());
    }

    HostEnvironment withJni(String jniId) {
        return new HostEnvironment(gpu, jvm, host, hostCpu, gitCommit, jniId, engine);
    }

    /** The same machine with the libtorch the forks will load (a local one, not DJL's configured one). */
    HostEnvironment withLibtorch(String version) {
        return new HostEnvironment(gpu, jvm, host, hostCpu, gitCommit, jni,
                new EngineVersions(version, engine.djl(), engine.cuda(), engine.cudnn()));
    }

    /** `h100-80gb-hbm3` from "NVIDIA H100 80GB HBM3" (schema.GpuSlug); `cpu-smoke` without a GPU. */
    String gpuSlug() {
        return gpu.map(g -> slug(g.name())).orElse(CPU_SLUG);
    }

    static String slug(String name) {
        return GpuSlug.of(name);
    }

    /**
     * The host CPU as {@code "<model> (<n> CPUs)"}: its model and the CPUs this process may use;
     * launch-bound batch-1 figures depend on it. The model is /proc/cpuinfo's "model name", else
     * lscpu's "Model name" (Arm hosts such as Grace name their cores only there); the count alone
     * where neither says.
     */
    static String hostCpu(Path cpuinfo) {
        String model = modelName(cpuinfo);
        if (model.isEmpty()) {
            model = ShortCommand.output(List.of("lscpu"), 10).map(out -> field(out.lines(), "Model name")).orElse("");
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        return (model.isEmpty() ? "" : model + " ") + "(" + cpus + (cpus == 1 ? " CPU)" : " CPUs)");
    }

    private static String modelName(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo, StandardCharsets.UTF_8)) {
            return field(lines, "model name");
        } catch (IOException | UncheckedIOException e) {
            return ""; // not Linux
        }
    }

    /** The value of the first {@code name: value} line with this name, or empty. */
    static String field(Stream<String> lines, String name) {
        return lines.filter(l -> l.startsWith(name) && l.indexOf(':') > 0 && l.substring(0, l.indexOf(':')).strip().equals(name))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "");
        }
    }

    /**
     * The commit the harness was built from: a bundle's COMMIT file (make-bundle.sh writes it; a
     * bundle unpacked inside some other checkout must not take that checkout's HEAD), else the
     * checkout's HEAD; empty when neither is found.
     */
    private static String gitCommit(Path root) {
        String bundled = bundleCommit(root.resolve("COMMIT"));
        if (!bundled.isEmpty()) {
            return bundled;
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The first 7 characters of a COMMIT file; empty when there is none. */
    static String bundleCommit(Path file) {
        try {
            String full = Files.readString(file, StandardCharsets.UTF_8).trim();
            return full.length() > 7 ? full.substring(0, 7) : full;
        } catch (IOException e) {
            return "";
        }
    }
}
