package diffbench.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import diffbench.runtime.Engines;
import diffbench.schedulers.DdpmScheduler;
import diffbench.schedulers.NoiseSource;
import diffbench.schedulers.Scheduler;
import diffbench.schedulers.SchedulerConfigs;
import diffbench.schedulers.SchedulerTrajectory;
import diffbench.schedulers.StepCounting;
import diffbench.weights.SafetensorsDType;
import diffbench.weights.SafetensorsFile;
import diffbench.weights.SafetensorsWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * `diffbench schedule`: one scheduler from a diffusers {@code scheduler_config.json}, driven as
 * diffusers' pipelines drive it on model outputs read from a safetensors file, its trajectory
 * written under diffusers' names: the way to hold this project's PNDM, DDIM, Euler and DDPM
 * against diffusers' own step by step (docs/networks.md shows the Python side). fp32 on the CPU.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Run one scheduler of a diffusers scheduler_config.json on given model outputs; write its trajectory.")
final class ScheduleCommand implements Runnable {
    static final String SAMPLE = "sample";
    static final String MODEL_OUTPUT = "model_output.";
    static final String NOISE = "noise.";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    DiffbenchCommand root;

    @Option(names = "--config", required = true, paramLabel = "scheduler_config.json",
            description = "a diffusers scheduler config (PNDMScheduler, DDIMScheduler, EulerDiscreteScheduler, DDPMScheduler)")
    Path config;

    @Option(names = "--steps", required = true, paramLabel = "N", description = "num_inference_steps for set_timesteps")
    int steps;

    @Option(names = "--inputs", required = true, paramLabel = "FILE.safetensors",
            description = "sample, model_output.0 .. model_output.K-1 and, for DDPM, noise.0 .. noise.K-1")
    Path inputs;

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors",
            description = "timesteps, init_noise_sigma, per call scaled_model_input.i, prev_sample.i, pred_original_sample.i; Euler: sigmas")
    Path out;

    @Option(names = "--strength", paramLabel = "S", description = "img2img strength in (0, 1]: the timesteps the pipelines keep")
    Double strength;

    @Option(names = "--calls", paramLabel = "K", description = "scheduler calls (default: the number of model_output.* given)")
    Integer calls;

    @Option(names = "--first", paramLabel = "I", defaultValue = "0",
            description = "start a fresh scheduler at timesteps[I] (default: ${DEFAULT-VALUE})")
    int first;

    @Override
    public void run() {
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a folder; name the .safetensors file to write");
        }
        if (calls != null && calls < 1) {
            throw new IllegalArgumentException("--calls must be at least 1, got " + calls);
        }
        SchedulerConfigs.Parsed parsed = SchedulerConfigs.read(config);
        PrintWriter err = spec.commandLine().getErr();
        if (!parsed.unknownKeys().isEmpty()) {
            err.println("diffbench: " + config + ": keys not known to diffbench, ignored: " + parsed.unknownKeys());
        }
        boolean ddpm = parsed.config() instanceof DdpmScheduler.Config;
        SafetensorsFile given = SafetensorsFile.open(inputs);
        int k = calls != null ? calls : countOf(given, MODEL_OUTPUT);
        checkNames(given, k, ddpm);

        root.startEngine();
        SchedulerTrajectory.Run run;
        try (NDManager nd = Engines.pytorch().newBaseManager(Engines.device("cpu"))) {
            NDArray sample = floats(nd, given, SAMPLE);
            List<NDArray> outputs = new ArrayList<>(k);
            for (int i = 0; i < k; i++) {
                NDArray o = floats(nd, given, MODEL_OUTPUT + i);
                checkShape(MODEL_OUTPUT + i, o.getShape(), sample.getShape(), ddpm);
                outputs.add(o);
            }
            try (Scheduler scheduler = SchedulerConfigs.create(parsed.config(), StepCounting.BENCHMARK, givenNoise(given, k))) {
                run = SchedulerTrajectory.run(scheduler, steps, strength, first, sample, outputs);
            }
        }
        write(run);
        PrintWriter o = spec.commandLine().getOut();
        o.println("ran " + run.schedulerClass() + " for " + k + " call" + (k == 1 ? "" : "s") + " from timesteps[" + first + "] = "
                + format(run.timesteps()[first]) + " (" + run.timesteps().length + " timesteps for " + steps + " steps"
                + (strength == null ? "" : ", strength " + strength) + ")");
        o.println("wrote " + out);
        o.flush();
    }

    /** How many of name0, name1, ... the file holds in a row. */
    private static int countOf(SafetensorsFile file, String prefix) {
        int n = 0;
        while (file.entries().containsKey(prefix + n)) {
            n++;
        }
        return n;
    }

    /** Missing or unknown names: one message that lists what the command reads. */
    private void checkNames(SafetensorsFile given, int k, boolean ddpm) {
        Set<String> expected = new LinkedHashSet<>(List.of(SAMPLE));
        for (int i = 0; i < k; i++) {
            expected.add(MODEL_OUTPUT + i);
        }
        if (ddpm) {
            for (int i = 0; i < k; i++) {
                expected.add(NOISE + i);
            }
        }
        Set<String> missing = new LinkedHashSet<>(expected);
        missing.removeAll(given.entries().keySet());
        if (ddpm && k > 0) {
            // diffusers' DDPM draws no noise at t = 0; a run that ends there may leave the last one out
            missing.remove(NOISE + (k - 1));
        }
        Set<String> unknown = new LinkedHashSet<>(given.entries().keySet());
        unknown.removeAll(expected);
        unknown.removeIf(n -> n.matches("model_output\\.\\d+") || ddpm && n.matches("noise\\.\\d+")); // beyond --calls: unused
        List<String> problems = new ArrayList<>();
        if (k == 0) {
            problems.add("no model_output.0");
        }
        if (!missing.isEmpty()) {
            problems.add("missing " + missing);
        }
        if (!unknown.isEmpty()) {
            problems.add("unknown " + unknown);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(inputs + ": " + String.join(", ", problems)
                    + "; schedule reads sample, model_output.0 .. model_output.K-1"
                    + (ddpm ? " and noise.0 .. noise.K-1 (DDPM)" : "") + " (K = --calls, else the model outputs given)");
        }
    }

    /** A model output has the sample's shape, or twice its channels for DDPM's learned variance. */
    private static void checkShape(String name, Shape output, Shape sample, boolean ddpm) {
        long[] o = output.getShape();
        long[] s = sample.getShape();
        boolean same = Arrays.equals(o, s);
        boolean learnedVariance = ddpm && o.length == s.length && o.length > 1 && o[1] == 2 * s[1]
                && Arrays.equals(Arrays.copyOfRange(o, 2, o.length), Arrays.copyOfRange(s, 2, s.length)) && o[0] == s[0];
        if (!same && !learnedVariance) {
            throw new IllegalArgumentException(name + " has shape " + output + " but sample has " + sample
                    + (ddpm ? " (a learned variance doubles the channels)" : ""));
        }
    }

    /** DDPM's variance noise: the i-th draw is noise.i (diffusers draws once per call, none at t = 0). */
    private NoiseSource givenNoise(SafetensorsFile given, int k) {
        int[] draws = {0};
        return (manager, shape, dtype) -> {
            String name = NOISE + draws[0]++;
            if (draws[0] > k || !given.entries().containsKey(name)) {
                throw new IllegalArgumentException(inputs + ": the scheduler draws noise at call " + (draws[0] - 1)
                        + " but " + name + " is not given");
            }
            SafetensorsFile.Entry e = given.entry(name);
            if (!Arrays.equals(e.shape(), shape.getShape())) {
                throw new IllegalArgumentException(name + " has shape " + Arrays.toString(e.shape()) + " but the step draws "
                        + shape);
            }
            return manager.create(given.readFloats(name), shape).toType(dtype, false);
        };
    }

    private static NDArray floats(NDManager nd, SafetensorsFile file, String name) {
        SafetensorsFile.Entry e = file.entry(name);
        if (!e.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(file.path() + ": tensor '" + name + "' is " + e.dtype()
                    + "; schedule reads F32, F16 or BF16");
        }
        return nd.create(file.readFloats(name), new Shape(e.shape()));
    }

    /** Names as in diffusers; timesteps int64 for PNDM, DDIM, DDPM and float32 for Euler, as diffusers keeps them. */
    private void write(SchedulerTrajectory.Run run) {
        SafetensorsWriter w = new SafetensorsWriter()
                .metadata("scheduler", run.schedulerClass())
                .metadata("num_inference_steps", String.valueOf(steps))
                .metadata("strength", strength == null ? "none" : String.valueOf(strength))
                .metadata("first", String.valueOf(first));
        double[] t = run.timesteps();
        long[] length = {t.length};
        if (run.sigmas() != null) {
            w.add("timesteps", SafetensorsDType.F32, length, toFloats(t));
        } else {
            w.addLongs("timesteps", length, Arrays.stream(t).mapToLong(v -> (long) v).toArray());
        }
        w.add("init_noise_sigma", SafetensorsDType.F32, new long[0], new float[] {(float) run.initNoiseSigma()});
        if (run.sigmas() != null) {
            w.add("sigmas", SafetensorsDType.F32, new long[] {run.sigmas().length}, toFloats(run.sigmas()));
        }
        for (int i = 0; i < run.calls().size(); i++) {
            SchedulerTrajectory.Call c = run.calls().get(i);
            add(w, "scaled_model_input." + i, c.scaledModelInput());
            add(w, "prev_sample." + i, c.prevSample());
            if (c.predOriginalSample() != null) {
                add(w, "pred_original_sample." + i, c.predOriginalSample());
            }
        }
        try {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + IoErrors.reason(e), e);
        }
    }

    private static void add(SafetensorsWriter w, String name, SchedulerTrajectory.Values v) {
        w.add(name, SafetensorsDType.F32, v.shape(), v.values());
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static String format(double t) {
        return t == Math.rint(t) ? String.valueOf((long) t) : String.valueOf(t);
    }
}
