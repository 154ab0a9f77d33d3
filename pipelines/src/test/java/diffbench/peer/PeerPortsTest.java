package diffbench.peer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import diffbench.pipeline.OutputCheck;
import diffbench.pipeline.PipelineOptions;
import diffbench.pipeline.text.SyntheticTokenizer;
import diffbench.runtime.Engines;
import diffbench.schedulers.BuiltInScheduler;
import diffbench.schedulers.EulerDiscreteScheduler;
import diffbench.schedulers.NoiseSchedule;
import diffbench.schedulers.PndmScheduler;
import diffbench.schedulers.Scheduler;
import diffbench.schedulers.SchedulerConfigs;
import diffbench.schedulers.StepCounting;
import diffbench.schema.GpuSlug;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;
import diffbench.schema.ResultsFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python peer's copies of Java logic (peer/ports.py, peer/results_csv.py, peer/schedulers.py),
 * run with python3 on the same inputs as the Java originals and compared value by value: GPU slugs,
 * synthetic token ids, CSV merges (without torch), output-check verdicts and the schedulers'
 * alpha-bar table, timesteps, sigmas and first steps (with torch; skipped, saying why, where python3
 * has none, e.g. PYTHONPATH=/path/to/site-packages).
 */
class PeerPortsTest {
    private static final Path PEER = Path.of("..", "peer").toAbsolutePath().normalize();
    /** Answers a JSON request with the peer's functions; imports torch only for the parts that need it. */
    private static final String DRIVER = """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            import ports
            request = json.load(open(sys.argv[2], encoding="utf-8"))
            out = {}
            if "slugs" in request:
                out["slugs"] = [ports.gpu_slug(n) for n in request["slugs"]]
            if "prompts" in request:
                out["ids"] = [ports.synthetic_ids(p["prompt"], p["pad"]) for p in request["prompts"]]
                out["prompt"] = ports.PROMPT
            if "merge" in request:
                import results_csv
                for m in request["merge"]:
                    results_csv.merge(m["file"], m["rows"])
            if "images" in request:
                import torch
                out["checks"] = [ports.output_check(torch.tensor([float(v) for v in i["values"]],
                                 dtype=getattr(torch, i["dtype"])).reshape(i["shape"])) for i in request["images"]]
            if "schedulers" in request:
                import torch
                import schedulers
                r = request["schedulers"]
                out["alphas_cumprod"] = schedulers.alphas_cumprod().tolist()
                out["schedules"] = []
                for n in r["steps"]:
                    pndm, euler = schedulers.Pndm(n), schedulers.Euler(n)
                    out["schedules"].append({"pndm": pndm.timesteps, "euler": euler.timesteps, "sigmas": euler.sigmas,
                                             "init_noise_sigma": euler.init_noise_sigma})
                out["trajectories"] = {}
                for name, scheduler in (("pndm", schedulers.Pndm(r["n"])), ("euler", schedulers.Euler(r["n"]))):
                    x = torch.tensor(r["sample"], dtype=torch.float32).reshape(r["shape"])
                    calls = []
                    for e, t in zip(r["model_outputs"], scheduler.timesteps):
                        scaled = scheduler.scale_model_input(x, t)
                        x = scheduler.step(torch.tensor(e, dtype=torch.float32).reshape(r["shape"]), t, x)
                        calls.append({"scaled": scaled.flatten().tolist(), "prev_sample": x.flatten().tolist()})
                    out["trajectories"][name] = calls
            print(json.dumps(out))
            """;

    @TempDir
    Path dir;

    @Test
    void gpuSlugsAgree() throws Exception {
        List<String> names = List.of("NVIDIA GeForce RTX 4090", "NVIDIA H200", "NVIDIA H100 80GB HBM3", "Tesla V100-SXM2-16GB",
                "NVIDIA A100-SXM4-80GB", "NVIDIA A100-SXM4-40GB MIG 1g.5gb", "NVIDIA RTX 6000 Ada Generation",
                "Quadro RTX 8000", "NVIDIA GeForce GTX 1080 Ti", "  NVIDIA L4  ", "RTX 4090", "NVIDIA_TITAN--V");
        JsonObject got = peer(Map.of("slugs", names), false);
        assertEquals(names.stream().map(GpuSlug::of).toList(), strings(got.getAsJsonArray("slugs")));
    }

    @Test
    void syntheticTokenIdsAgree() throws Exception {
        List<String> prompts = List.of("", PipelineOptions.BENCHMARK_PROMPT, "A photo of an astronaut, riding a horse on Mars!!",
                "naïve café: 4K — ÜBER-detailed x², 3½", "tab\there\u00a0nbsp\u2003em\u0085nel", "İstanbul ΣΟΦΟΣ 東京タワー 🚀",
                "word ".repeat(90));
        List<Map<String, Object>> request = new ArrayList<>();
        List<long[]> java = new ArrayList<>();
        for (String p : prompts) {
            for (SyntheticTokenizer t : List.of(SyntheticTokenizer.clipL(), SyntheticTokenizer.openClipBigG())) {
                request.add(Map.of("prompt", p, "pad", padOf(t)));
                java.add(t.encode(p));
            }
        }
        JsonObject got = peer(Map.of("prompts", request), false);
        assertEquals(PipelineOptions.BENCHMARK_PROMPT, got.get("prompt").getAsString(), "ports.PROMPT");
        JsonArray ids = got.getAsJsonArray("ids");
        for (int i = 0; i < java.size(); i++) {
            assertArrayEquals(java.get(i), longs(ids.get(i).getAsJsonArray()), "ids of " + request.get(i));
        }
    }

    /** The same merges into the same file give the same bytes, quoting, extra columns and repeated stages included. */
    @Test
    void csvMergesAgree() throws Exception {
        List<ResultRow> before = List.of(row("diffbench", "1", "", "2.5", ""), row("python-eager", "1", "", "9.9", ""),
                row("diffbench", "2", "", "", "out of memory, tried \"1 GiB\"\nsecond line"),
                ResultRow.of(row("diffbench", "4", "", "3", "").cells(), Map.of("note", "kept, as written")));
        List<List<ResultRow>> merges = List.of(
                List.of(row("python-eager", "1", "", "21.1235", ""), row("python-eager", "16", "", "1.5", "")),
                List.of(row("diffbench", "2", "prior", "1", ""), row("diffbench", "2", "decoder", "2", ""),
                        row("diffbench", "2", "prior", "3", ""), row("diffbench", "8", "", "", "")));
        Path javaFile = dir.resolve("java.csv");
        Path pythonFile = dir.resolve("python.csv");
        Path fresh = dir.resolve("fresh-java.csv");
        Path freshPython = dir.resolve("fresh-python.csv");
        ResultsFile.write(javaFile, before);
        Files.copy(javaFile, pythonFile);
        List<Map<String, Object>> request = new ArrayList<>();
        for (List<ResultRow> rows : merges) {
            ResultsFile.merge(javaFile, rows);
            request.add(Map.of("file", pythonFile.toString(), "rows", rows.stream().map(PeerPortsTest::asDict).toList()));
        }
        ResultsFile.merge(fresh, merges.get(0));
        request.add(Map.of("file", freshPython.toString(), "rows", merges.get(0).stream().map(PeerPortsTest::asDict).toList()));
        peer(Map.of("merge", request), false);
        assertEquals(Files.readString(javaFile), Files.readString(pythonFile), "merged into an existing file");
        assertEquals(Files.readString(fresh), Files.readString(freshPython), "merged into no file");
    }

    @Test
    void outputCheckVerdictsAgree() throws Exception {
        Engines.pytorch();
        double[] varied = {0.1, -0.4, 0.9, 0.3, 0.0, -1.0, 0.5, 0.25, 0.7, -0.2, 0.6, 0.8};
        double[] flat = new double[12];
        Arrays.fill(flat, 0.5);
        double[] withNaN = varied.clone();
        withNaN[5] = Double.NaN;
        double[] withInf = flat.clone();
        withInf[11] = Double.NEGATIVE_INFINITY;
        double[] overflowsInHalf = varied.clone();
        overflowsInHalf[3] = 70000; // finite in fp32, infinity in fp16
        double[] tiny = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1e-30};
        List<Map<String, Object>> images = new ArrayList<>();
        List<String> java = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            for (double[] values : List.of(varied, flat, withNaN, withInf, overflowsInHalf, tiny)) {
                // fp32 and fp16 (bf16 left out: OutputCheck on a bf16 array aborts the JVM in DJL's CPU libtorch here)
                for (DataType dtype : List.of(DataType.FLOAT32, DataType.FLOAT16)) {
                    float[] f = new float[values.length];
                    List<String> text = new ArrayList<>();
                    for (int i = 0; i < values.length; i++) {
                        f[i] = (float) values[i];
                        text.add(Double.toString(values[i]).replace("Infinity", "inf"));
                    }
                    NDArray image = m.create(f, new Shape(1, 3, 2, 2)).toType(dtype, false);
                    java.add(OutputCheck.of(image).id());
                    images.add(Map.of("values", text, "shape", new long[] {1, 3, 2, 2},
                            "dtype", dtype == DataType.FLOAT32 ? "float32" : "float16"));
                }
            }
        }
        JsonObject got = peer(Map.of("images", images), true);
        assertEquals(java, strings(got.getAsJsonArray("checks")));
        assertTrue(java.containsAll(List.of("ok", "flat", "non-finite")), "all three verdicts covered: " + java);
    }

    /** The peer's two schedulers (SD 1.5's PNDM, SDXL's Euler) against diffbench's, value by value. */
    @Test
    void schedulersAgree() throws Exception {
        Engines.pytorch();
        int[] steps = {50, 30, 25, 4, 1};
        int n = 10;
        long[] shape = {1, 2, 2, 2};
        double[] sample = {0.5, -1.0, 2.0, 0.25, -0.75, 1.5, 0.0, -2.0};
        List<double[]> modelOutputs = new ArrayList<>();
        for (int call = 0; call < 6; call++) {
            double[] e = new double[sample.length];
            for (int j = 0; j < e.length; j++) {
                e[j] = Math.sin(1.7 * call + 0.3 * j);
            }
            modelOutputs.add(e);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("steps", steps);
        request.put("n", n);
        request.put("shape", shape);
        request.put("sample", sample);
        request.put("model_outputs", modelOutputs);
        JsonObject got = peer(Map.of("schedulers", request), true);

        try (PndmScheduler pndm = (PndmScheduler) scheduler(BuiltInScheduler.SD15);
             EulerDiscreteScheduler euler = (EulerDiscreteScheduler) scheduler(BuiltInScheduler.SDXL)) {
            NoiseSchedule table = pndm.noiseSchedule();
            double[] alphaBar = new double[table.size()];
            for (int t = 0; t < alphaBar.length; t++) {
                alphaBar[t] = table.alphaCumprod(t);
            }
            assertClose(alphaBar, doubles(got.getAsJsonArray("alphas_cumprod")), 0, "alphas_cumprod");
            JsonArray schedules = got.getAsJsonArray("schedules");
            for (int i = 0; i < steps.length; i++) {
                JsonObject s = schedules.get(i).getAsJsonObject();
                pndm.setTimesteps(steps[i]);
                euler.setTimesteps(steps[i]);
                String what = steps[i] + " steps: ";
                assertArrayEquals(pndm.timesteps(), doubles(s.getAsJsonArray("pndm")), what + "PNDM timesteps");
                assertArrayEquals(euler.timesteps(), doubles(s.getAsJsonArray("euler")), what + "Euler timesteps");
                assertClose(euler.sigmas(), doubles(s.getAsJsonArray("sigmas")), 2e-7, what + "Euler sigmas");
                assertClose(new double[] {euler.initNoiseSigma()}, new double[] {s.get("init_noise_sigma").getAsDouble()}, 2e-7,
                        what + "init_noise_sigma");
            }
            JsonObject trajectories = got.getAsJsonObject("trajectories");
            compareTrajectory(pndm, n, shape, sample, modelOutputs, trajectories.getAsJsonArray("pndm"));
            compareTrajectory(euler, n, shape, sample, modelOutputs, trajectories.getAsJsonArray("euler"));
        }
    }

    private static void compareTrajectory(Scheduler scheduler, int n, long[] shape, double[] sample, List<double[]> modelOutputs,
                                          JsonArray python) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            scheduler.setTimesteps(n);
            double[] timesteps = scheduler.timesteps();
            NDArray x = m.create(floats(sample), new Shape(shape));
            for (int call = 0; call < modelOutputs.size(); call++) {
                JsonObject expected = python.get(call).getAsJsonObject();
                String what = scheduler.className() + " call " + call + " at t=" + timesteps[call];
                NDArray scaled = scheduler.scaleModelInput(x, timesteps[call]);
                assertClose(toDoubles(scaled), doubles(expected.getAsJsonArray("scaled")), 1e-6, what + ": scale_model_input");
                x = scheduler.step(m.create(floats(modelOutputs.get(call)), new Shape(shape)), timesteps[call], x);
                assertClose(toDoubles(x), doubles(expected.getAsJsonArray("prev_sample")), 1e-6, what + ": prev_sample");
            }
        }
    }

    private static Scheduler scheduler(BuiltInScheduler which) {
        return SchedulerConfigs.create(SchedulerConfigs.builtIn(which).config(), StepCounting.BENCHMARK);
    }

    /** Relative difference at most {@code tolerance} (0: equal). */
    private static void assertClose(double[] expected, double[] got, double tolerance, String what) {
        assertEquals(expected.length, got.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], tolerance * Math.max(1e-30, Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    private static int padOf(SyntheticTokenizer t) {
        long[] empty = t.encode("");
        return (int) empty[empty.length - 1];
    }

    private static ResultRow row(String runtime, String batch, String stage, String its, String error) {
        Map<ResultColumn, String> c = new EnumMap<>(ResultColumn.class);
        c.put(ResultColumn.SCHEMA_VERSION_COLUMN, "3");
        c.put(ResultColumn.GPU_SLUG, "h200");
        c.put(ResultColumn.RUNTIME, runtime);
        c.put(ResultColumn.LIBTORCH, "2.11.0");
        c.put(ResultColumn.DEVICE, "gpu");
        c.put(ResultColumn.PIPELINE, stage.isEmpty() ? "sd-txt2img" : "if-txt2img");
        c.put(ResultColumn.STAGE, stage);
        c.put(ResultColumn.BATCH, batch);
        c.put(ResultColumn.MODE, "eager");
        c.put(ResultColumn.ATTENTION, "sdpa");
        c.put(ResultColumn.DTYPE, "fp16");
        c.put(ResultColumn.MODEL_SIZE, "full");
        c.put(ResultColumn.STEPS, "50");
        c.put(ResultColumn.OUTCOME, error.isEmpty() ? "ok" : "error");
        c.put(ResultColumn.ERROR_MESSAGE, error);
        c.put(ResultColumn.ITS_MEAN, its);
        return ResultRow.of(c);
    }

    private static Map<String, String> asDict(ResultRow r) {
        Map<String, String> d = new LinkedHashMap<>();
        r.cells().forEach((column, value) -> d.put(column.header(), value));
        d.putAll(r.extra());
        return d;
    }

    private JsonObject peer(Map<String, ?> request, boolean needsTorch) throws IOException, InterruptedException {
        Path requestFile = Files.createTempFile(dir, "request", ".json");
        Files.writeString(requestFile, new Gson().toJson(request));
        List<String> command = List.of("python3", "-c", DRIVER, PEER.toString(), requestFile.toString());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no python3 (" + e.getMessage() + "): the peer's functions cannot run");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python3 finished");
        if (needsTorch && p.exitValue() != 0 && out.contains("No module named 'torch'")) {
            Assumptions.abort("python3 has no torch (the peer's runtime; set PYTHONPATH to a site-packages with it): "
                    + out.strip().lines().reduce((a, b) -> b).orElse(""));
        }
        assertEquals(0, p.exitValue(), out);
        return JsonParser.parseString(out.strip().lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    private static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        int i = 0;
        for (JsonElement e : a) {
            out[i++] = e.getAsLong();
        }
        return out;
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static double[] toDoubles(NDArray a) {
        float[] f = a.toFloatArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }
}
