package diffbench.maven;

import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * `mvn jmh:run`: starts the benchmark harness in its own `java` process.
 *
 * <p>Not in the Maven JVM: JMH builds its forks' class path from `java.class.path`, which in Maven
 * names only plexus-classworlds, so every fork would die (docs/design.md §4). The selection
 * properties become the harness's command-line options; `diffbench.*` properties become system
 * properties of the harness (and so of its JMH forks).
 */
@Mojo(name = "run", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class RunMojo extends AbstractMojo {


    /** Said once per build, not once per module. */
    private static final AtomicBoolean SAID_SKIP = new AtomicBoolean();

    @Parameter(defaultValue = "${project}", readonly = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true)
    private MavenSession session;

    /** The module that holds the benchmarks: it must be built, others are skipped. */
    @Parameter(property = "jmh.module", defaultValue = "diffbench-jmh")
    private String benchmarkModule;

    @Parameter(property = "jmh.mainClass", defaultValue = "diffbench.jmh.HarnessMain")
    private String mainClass;

    /** Extra JVM options for the harness process, space separated (e.g. `-Xmx4g`). */
    @Parameter(property = "jmh.jvmArgs")
    private String jvmArgs;

    /** Wall-clock limit of the whole run in minutes; the harness process tree is killed after it. */
    @Parameter(property = "jmh.timeoutMinutes", defaultValue = "1440")
    private long timeoutMinutes;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (!inBenchmarkModule()) {
            return;
        }
        refuseNearMisses();
        List<String> command = command();
        warnAboutInstalledSiblings();
        getLog().info("jmh:run: " + String.join(" ", command.subList(3, command.size())));
        int rc = runWithWatchdog(command, rootDirectory());
        if (rc != 0) {
            throw new MojoFailureException("benchmark harness exited with code " + rc);
        }
    }

    /** Whether this module holds the benchmarks (built); other modules of the reactor are skipped. */
    boolean inBenchmarkModule() throws MojoFailureException {
        File classes = new File(project.getBuild().getOutputDirectory());
        File benchmarkList = new File(classes, "META-INF/BenchmarkList");
        boolean isBenchmarkModule = benchmarkModule.equals(project.getArtifactId());
        if (!benchmarkList.isFile()) {
            if (isBenchmarkModule) {
                throw new MojoFailureException(project.getArtifactId() + " is not built (no "
                        + benchmarkList + "): run `mvn install` first; after code changes run "
                        + "`mvn -DskipTests install jmh:run`");
            }
            if (SAID_SKIP.compareAndSet(false, true)) {
                getLog().info("jmh skips modules without JMH benchmarks; the benchmarks are in "
                        + benchmarkModule);
            }
            return false;
        }
        return true;
    }

    /** The harness's arguments: the `-D` selection as options. */
    List<String> harnessArguments() {
        List<String> args = new ArrayList<>();
        Map<String, String> props = properties();
        for (String name : PropertyNames.HARNESS) {
            String value = props.get(name);
            if (value != null) {
                args.add("--" + name + "=" + value);
            }
        }
        return args;
    }

    List<String> command() throws MojoExecutionException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        try {
            cmd.add(String.join(File.pathSeparator, project.getRuntimeClasspathElements()));
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("cannot resolve the runtime class path of "
                    + project.getArtifactId(), e);
        }
        if (jvmArgs != null && !jvmArgs.isBlank()) {
            cmd.addAll(Arrays.asList(jvmArgs.trim().split("\\s+")));
        }
        cmd.add("-Ddiffbench.root=" + rootDirectory());
        // the harness ends when Maven does, even when Maven is killed and its shutdown hook never runs
        cmd.add("-Ddiffbench.parentPid=" + ProcessHandle.current().pid());
        // the harness's messages then name options as -Dname, as the user typed them
        cmd.add("-Ddiffbench.via=maven");
        properties().forEach((k, v) -> {
            if (k.startsWith("diffbench.") || k.startsWith("ai.djl.")) {
                cmd.add("-D" + k + "=" + v);
            }
        });
        cmd.add(mainClass);
        cmd.addAll(harnessArguments());
        return cmd;
    }

    /**
     * With only `jmh:run` on the command line Maven takes sibling modules from ~/.m2, which may be
     * older than the code (docs/design.md §4): say which, and how to run fresh code.
     */
    void warnAboutInstalledSiblings() {
        String repo = session.getLocalRepository().getBasedir();
        String group = project.getGroupId().replace('.', File.separatorChar);
        for (Artifact a : project.getArtifacts()) {
            File f = a.getFile();
            if (f != null && a.getGroupId().equals(project.getGroupId()) && f.getPath().startsWith(repo)
                    && f.getPath().contains(group)) {
                getLog().warn("jmh:run uses the installed " + a.getArtifactId() + " (" + f + ", "
                        + Instant.ofEpochMilli(f.lastModified()) + "); after code changes run "
                        + "`mvn -DskipTests install jmh:run` or `mvn -DskipTests package jmh:run`");
            }
        }
    }

    /** A `-D` property close to one of ours but not it (`-Dpipeline`) is a typo: refused before anything runs. */
    void refuseNearMisses() throws MojoFailureException {
        Set<String> known = new HashSet<>(PropertyNames.HARNESS);
        known.addAll(PropertyNames.PLUGIN);
        for (String typed : session.getUserProperties().stringPropertyNames()) {
            Optional<String> meant = PropertyNames.nearMiss(typed, known);
            if (meant.isPresent()) {
                throw new MojoFailureException("-D" + typed + ": did you mean -D" + meant.get()
                        + "? (mvn jmh:help lists every property)");
            }
        }
    }

    /** User properties (`-D` on the command line) over system properties. */
    private Map<String, String> properties() {
        Map<String, String> all = new LinkedHashMap<>();
        copy(session.getSystemProperties(), all);
        copy(session.getUserProperties(), all);
        return all;
    }

    private static void copy(Properties from, Map<String, String> to) {
        from.stringPropertyNames().forEach(k -> to.put(k, from.getProperty(k)));
    }

    /** The top of the reactor: results/ and gpu-profiles/ live there, whichever module runs. */
    Path rootDirectory() {
        MavenProject top = project;
        while (top.getParent() != null && top.getParent().getBasedir() != null) {
            top = top.getParent();
        }
        return top.getBasedir().toPath().toAbsolutePath();
    }

    int runWithWatchdog(List<String> command, Path workDir)
            throws MojoExecutionException, MojoFailureException {
        Process child;
        try {
            ProcessBuilder harness = new ProcessBuilder(command).directory(workDir.toFile()).inheritIO();
            // CUDA numbers cards fastest first, nvidia-smi by PCI bus: one order, so the harness labels rows
            // with the card its forks really use on a box of several models (CUDA_VISIBLE_DEVICES=N picks it)
            harness.environment().putIfAbsent("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
            child = harness.start();
        } catch (IOException e) {
            throw new MojoExecutionException("cannot start " + command.get(0), e);
        }
        // Ctrl-C on Maven must not leave the harness and its JMH fork running on the GPU.
        Thread killOnExit = new Thread(() -> killTree(child.toHandle()));
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            if (!child.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                killTree(child.toHandle());
                child.waitFor(30, TimeUnit.SECONDS);
                throw new MojoFailureException("benchmark run exceeded " + timeoutMinutes
                        + " min (-Djmh.timeoutMinutes) and was killed; finished rows are in the results file");
            }
            return child.exitValue();
        } catch (InterruptedException e) {
            killTree(child.toHandle());
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted while the benchmarks ran", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    /** Children first, so a JMH fork stuck in native code cannot outlive its parent. */
    private static void killTree(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
