package diffbench.schedulers;

import diffbench.cli.DiffbenchCommand;
import diffbench.weights.SafetensorsDType;
import diffbench.weights.SafetensorsFile;
import diffbench.weights.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static diffbench.schedulers.HandFormulas.assertValues;
import static diffbench.schedulers.SchedulerStepTest.TOL;
import static diffbench.schedulers.SchedulerStepTest.X;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `diffbench schedule` on the pipelines' own scheduler configs: its trajectories equal the values
 * SchedulerStepTest writes from the published formulas (the same inputs, the same expectations),
 * with diffusers' names, dtypes and protocol (PNDM's redo, --first on a fresh scheduler, DDPM's
 * given noise, img2img's strength).
 */
class ScheduleCommandTest {
    static final long[] SHAPE = {1, 1, 2, 2};
    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {
    }

    static Result schedule(String... args) {
        CommandLine cl = DiffbenchCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("schedule"));
        all.addAll(List.of(args));
        int rc = cl.execute(all.toArray(new String[0]));
        return new Result(rc, out.toString(), err.toString());
    }

    private Path config(BuiltInScheduler which) throws IOException {
        Path file = dir.resolve(which.resource());
        try (InputStream in = getClass().getResourceAsStream("/diffbench/schedulers/" + which.resource())) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private Path inputs(String name, long[] sampleShape, double[] sample, long[] outputShape, double[][] outputs,
                        double[]... noise) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().add("sample", SafetensorsDType.F32, sampleShape, floats(sample));
        for (int i = 0; i < outputs.length; i++) {
            w.add("model_output." + i, SafetensorsDType.F32, outputShape, floats(outputs[i]));
        }
        for (int i = 0; i < noise.length; i++) {
            w.add("noise." + i, SafetensorsDType.F32, sampleShape, floats(noise[i]));
        }
        Path file = dir.resolve(name + "-in.safetensors");
        w.write(file);
        return file;
    }

    private SafetensorsFile run(Path config, int steps, Path in, String... more) {
        Path out = dir.resolve(in.getFileName().toString().replace("-in", "-out"));
        List<String> args = new ArrayList<>(List.of("--config", config.toString(), "--steps", String.valueOf(steps),
                "--inputs", in.toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        Result r = schedule(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("wrote " + out), r.out());
        return SafetensorsFile.open(out);
    }

    @Test
    void pndmFollowsDiffusersCountingWithItsRedoCall() throws Exception {
        double[][] e = SchedulerStepTest.pndmOutputs();
        double[][] expected = SchedulerStepTest.pndmBenchmarkTrajectory(e);
        SafetensorsFile out = run(config(BuiltInScheduler.SD15), 50, inputs("pndm", SHAPE, X, SHAPE, e));
        assertEquals(SafetensorsDType.I64, out.entry("timesteps").dtype());
        long[] t = out.readLongs("timesteps");
        assertEquals(51, t.length, "PNDM: N + 1 timesteps");
        assertArrayEquals(new long[] {981, 961, 961, 941, 921, 901}, Arrays.copyOf(t, 6));
        assertEquals(1f, out.readFloats("init_noise_sigma")[0]);
        assertEquals(0, out.entry("init_noise_sigma").shape().length, "0-d");
        for (int k = 0; k < e.length; k++) {
            // the sample each call receives is the previous call's result (the redo call's too)
            assertValues(k == 0 ? X : expected[k - 1], out.readFloats("scaled_model_input." + k), TOL,
                    "PNDM scales nothing, call " + k);
            assertValues(expected[k], out.readFloats("prev_sample." + k), TOL, "PNDM prev_sample." + k);
        }
        assertFalse(out.entries().containsKey("pred_original_sample.0"), "diffusers' PNDM returns prev_sample only");
        assertFalse(out.entries().containsKey("sigmas"));
    }

    @Test
    void ddimTwoCallsThenTheLastStepFromAFreshScheduler() throws Exception {
        double[] e0 = SchedulerStepTest.output(-0.3, 4);
        double[] e1 = SchedulerStepTest.output(0.2, 4);
        Path config = config(BuiltInScheduler.SD_INPAINTING);
        SafetensorsFile out = run(config, 50, inputs("ddim", SHAPE, X, SHAPE, new double[][] {e0, e1}));
        double[] first = SchedulerStepTest.ddimEpsilonPrev(X, e0, 981, 961);
        assertValues(first, out.readFloats("prev_sample.0"), TOL, "DDIM 981");
        assertValues(SchedulerStepTest.ddimEpsilonX0(X, e0, 981), out.readFloats("pred_original_sample.0"), TOL, "DDIM x0 at 981");
        assertValues(first, out.readFloats("scaled_model_input.1"), TOL, "the second call starts from the first's result");
        assertValues(SchedulerStepTest.ddimEpsilonPrev(first, e1, 961, 941), out.readFloats("prev_sample.1"), TOL, "DDIM 961");
        assertEquals(50, out.readLongs("timesteps").length);

        SafetensorsFile last = run(config, 50, inputs("ddim-last", SHAPE, X, SHAPE, new double[][] {e0}), "--first", "49");
        assertValues(SchedulerStepTest.ddimEpsilonPrev(X, e0, 1, -19), last.readFloats("prev_sample.0"), TOL,
                "DDIM t=1 to alpha-bar(0)");
    }

    @Test
    void eulerScalesStepsAndWritesItsSigmas() throws Exception {
        double[] e0 = SchedulerStepTest.output(0.15, 4);
        double[] e1 = SchedulerStepTest.output(-0.1, 4);
        Path config = config(BuiltInScheduler.SDXL);
        SafetensorsFile out = run(config, 50, inputs("euler", SHAPE, X, SHAPE, new double[][] {e0, e1}));
        assertEquals(SafetensorsDType.F32, out.entry("timesteps").dtype(), "diffusers keeps Euler's timesteps as float32");
        float[] t = out.readFloats("timesteps");
        assertEquals(981f, t[0]);
        assertEquals(1f, t[49]);
        double s0 = SchedulerStepTest.sigma(981);
        double s1 = SchedulerStepTest.sigma(961);
        double s2 = SchedulerStepTest.sigma(941);
        float[] sigmas = out.readFloats("sigmas");
        assertEquals(51, sigmas.length, "N + 1 sigmas");
        assertValues(new double[] {s0, s1, s2}, Arrays.copyOf(sigmas, 3), TOL, "sigmas");
        assertEquals(0f, sigmas[50]);
        assertValues(new double[] {Math.sqrt(s0 * s0 + 1)}, out.readFloats("init_noise_sigma"), TOL,
                "leading spacing: sqrt(sigma_max^2 + 1)");
        double[] x1 = SchedulerStepTest.eulerStep(X, e0, s0, s1);
        assertValues(SchedulerStepTest.eulerScaled(X, s0), out.readFloats("scaled_model_input.0"), TOL, "Euler input at 981");
        assertValues(SchedulerStepTest.eulerX0(X, e0, s0), out.readFloats("pred_original_sample.0"), TOL, "Euler x0 at 981");
        assertValues(x1, out.readFloats("prev_sample.0"), TOL, "Euler 981");
        assertValues(SchedulerStepTest.eulerScaled(x1, s1), out.readFloats("scaled_model_input.1"), TOL, "Euler input at 961");
        assertValues(SchedulerStepTest.eulerStep(x1, e1, s1, s2), out.readFloats("prev_sample.1"), TOL, "Euler 961");

        SafetensorsFile last = run(config, 50, inputs("euler-last", SHAPE, X, SHAPE, new double[][] {e0}), "--first", "49");
        assertValues(SchedulerStepTest.eulerStep(X, e0, SchedulerStepTest.sigma(1), 0), last.readFloats("prev_sample.0"), TOL,
                "Euler's last step to sigma 0");
    }

    @Test
    void ddpmUsesTheGivenNoiseAndDrawsNoneAtTimestepZero() throws Exception {
        double[] alphaBar = HandFormulas.cosineAlphaBar();
        double[][] in = SchedulerStepTest.ddpmInputs();
        double[] x = in[0];
        double[] eps = in[1];
        double[] v = in[2];
        double[] z = in[3];
        double[] modelOut = new double[24];
        System.arraycopy(eps, 0, modelOut, 0, 12);
        System.arraycopy(v, 0, modelOut, 12, 12);
        long[] sample = {1, 3, 2, 2};
        long[] learned = {1, 6, 2, 2};
        Path config = config(BuiltInScheduler.IF_STAGE_I);
        // timesteps[49] = 500 of 100 steps (990, 980, ..., 0), as SchedulerStepTest steps it
        SafetensorsFile mid = run(config, 100, inputs("ddpm", sample, x, learned, new double[][] {modelOut}, z), "--first", "49");
        assertEquals(500, mid.readLongs("timesteps")[49]);
        assertValues(SchedulerStepTest.ddpmExpected(alphaBar[500], alphaBar[490], x, eps, v, z, 1.5),
                mid.readFloats("prev_sample.0"), TOL, "DDPM t=500 with noise.0");
        assertValues(SchedulerStepTest.ddpmPredictedOriginal(alphaBar[500], x, eps, 1.5), mid.readFloats("pred_original_sample.0"),
                TOL, "DDPM thresholded x0");

        SafetensorsFile end = run(config, 100, inputs("ddpm-end", sample, x, learned, new double[][] {modelOut}), "--first", "99");
        assertValues(SchedulerStepTest.ddpmExpected(alphaBar[0], 1.0, x, eps, v, new double[12], 1.5),
                end.readFloats("prev_sample.0"), TOL, "DDPM t=0: no noise, none needed");
    }

    @Test
    void strengthKeepsTheTimestepsImg2imgRuns() throws Exception {
        double[] e = SchedulerStepTest.output(0.1, 4);
        SafetensorsFile out = run(config(BuiltInScheduler.SD15), 50, inputs("img2img", SHAPE, X, SHAPE, new double[][] {e}),
                "--strength", "0.8");
        long[] t = out.readLongs("timesteps");
        assertArrayEquals(IntStream.range(0, 41).mapToLong(i -> 801 - 20L * i).toArray(), t, "41 timesteps from 801");
        assertValues(SchedulerStepTest.plmsPrev(X, 801, 781, e), out.readFloats("prev_sample.0"), TOL, "PNDM's first call at 801");
    }

    @Test
    void badInputGivesOneLineErrors() throws Exception {
        Path pndm = config(BuiltInScheduler.SD15);
        Path ddpm = config(BuiltInScheduler.IF_STAGE_I);
        double[] e = SchedulerStepTest.output(0.1, 4);
        Path one = inputs("one", SHAPE, X, SHAPE, new double[][] {e});
        String out = dir.resolve("o.safetensors").toString();
        assertOneLine("--first 51 with 1 call needs timesteps 51..51, but the schedule has 51 (0..50)",
                "--config", pndm.toString(), "--steps", "50", "--inputs", one.toString(), "--out", out, "--first", "51");
        Path bare = dir.resolve("bare-in.safetensors");
        new SafetensorsWriter().add("sample", SafetensorsDType.F32, SHAPE, floats(X)).add("latents", SafetensorsDType.F32, SHAPE,
                floats(X)).write(bare);
        assertOneLine("no model_output.0, unknown [latents]; schedule reads sample, model_output.0 .. model_output.K-1",
                "--config", pndm.toString(), "--steps", "50", "--inputs", bare.toString(), "--out", out);
        assertOneLine("missing [model_output.1]", "--config", pndm.toString(), "--steps", "50", "--inputs", one.toString(),
                "--out", out, "--calls", "2");
        assertOneLine("unknown [noise.0]", "--config", pndm.toString(), "--steps", "50",
                "--inputs", inputs("noisy", SHAPE, X, SHAPE, new double[][] {e}, e).toString(), "--out", out);
        assertOneLine("missing [noise.0]", "--config", ddpm.toString(), "--steps", "100",
                "--inputs", inputs("ddpm-two", SHAPE, X, SHAPE, new double[][] {e, e}).toString(), "--out", out);
        assertOneLine("model_output.0 has shape (1, 2, 2, 2) but sample has (1, 1, 2, 2)", "--config", pndm.toString(),
                "--steps", "50", "--inputs", inputs("wide", SHAPE, X, new long[] {1, 2, 2, 2},
                        new double[][] {new double[8]}).toString(), "--out", out);
        assertOneLine("strength must be in (0, 1]", "--config", pndm.toString(), "--steps", "50", "--inputs", one.toString(),
                "--out", out, "--strength", "1.5");
        assertOneLine("cannot read scheduler config", "--config", dir.resolve("none.json").toString(), "--steps", "50",
                "--inputs", one.toString(), "--out", out);
        assertFalse(Files.exists(dir.resolve("o.safetensors")), "nothing written on bad input");
    }

    /** Exit 2 and the error on one line (after the line naming the config's unknown keys, where it has some). */
    private static void assertOneLine(String expected, String... args) {
        Result r = schedule(args);
        assertEquals(2, r.exitCode(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("diffbench: ") && last.contains(expected), r.err());
        assertTrue(lines.size() == 1 || lines.size() == 2 && lines.get(0).contains("keys not known to diffbench"), r.err());
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
