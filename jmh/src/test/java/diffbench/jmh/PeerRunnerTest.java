package diffbench.jmh;

import diffbench.models.catalog.NetworkCatalog;
import diffbench.schema.ImageThroughput;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;
import diffbench.schema.ResultsFile;
import diffbench.testing.Needs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch peer's side of the results file (peer/results_csv.py, run with python3; it needs no
 * torch): its column list is the schema's, and the rows it merges into a file the harness wrote are
 * read back by the schema module, replacing the same cell and keeping the others. And the harness's
 * peer command names the cells' setup.
 */
class PeerRunnerTest {
    private static final Path PEER = Path.of("..", "peer").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void thePeerWritesTheSchemaColumnsInOrder() throws Exception {
        String source = Files.readString(PEER.resolve("results_csv.py"));
        Matcher block = Pattern.compile("(?s)COLUMNS = \\[(.*?)\\]").matcher(source);
        assertTrue(block.find());
        List<String> python = Pattern.compile("\"([a-z_0-9]+)\"").matcher(block.group(1)).results().map(m -> m.group(1)).toList();
        assertEquals(List.of(ResultColumn.headers()), python);
        Matcher since = Pattern.compile("(?s)SINCE = \\{(.*?)\\}").matcher(source);
        assertTrue(since.find());
        Map<String, Integer> pythonSince = new HashMap<>();
        Pattern.compile("\"([a-z_0-9]+)\": (\\d+)").matcher(since.group(1)).results()
                .forEach(m -> pythonSince.put(m.group(1), Integer.parseInt(m.group(2))));
        for (ResultColumn c : ResultColumn.values()) {
            assertEquals(c.since(), pythonSince.getOrDefault(c.header(), 1), c + ": the version that added it");
        }
        Matcher key = Pattern.compile("(?s)CELL_KEY = \\[(.*?)\\]").matcher(source);
        assertTrue(key.find());
        assertEquals(ResultColumn.CELL_KEY.stream().map(ResultColumn::header).toList(),
                Pattern.compile("\"([a-z_0-9]+)\"").matcher(key.group(1)).results().map(m -> m.group(1)).toList());
    }

    @Test
    void peerRowsMergeIntoTheHarnessFile() throws Exception {
        Needs.python3();
        Path csv = dir.resolve("h200.csv");
        ResultsFile.write(csv, List.of(row("diffbench", "eager", "1", "2.5"), row("python-eager", "eager", "1", "9.9")));
        Files.setPosixFilePermissions(csv, PosixFilePermissions.fromString("rw-rw----"));
        mergeWithThePeer(csv,
                "base = dict(schema_version='1', gpu_slug='h200', runtime='python-eager', libtorch='2.11.0', device='gpu',",
                "            pipeline='sd-txt2img', batch='1', mode='eager', attention='sdpa', dtype='fp16', model_size='full',",
                "            steps='50', outcome='ok', time='2026-11-26T10:00:00Z', its_mean=r.number(21.123456789))",
                "r.merge(sys.argv[2], [base])",
                "r.merge(sys.argv[2], [dict(base, runtime='python-compile-reduce-overhead', mode='compiled', its_mean=r.number(1234567.0))])");
        List<ResultRow> rows = ResultsFile.read(csv);
        assertEquals(3, rows.size());
        assertEquals(List.of("diffbench", "python-eager", "python-compile-reduce-overhead"),
                rows.stream().map(ResultRow::runtime).toList());
        assertEquals("21.1235", rows.get(1).get(ResultColumn.ITS_MEAN), "replaced in place, six significant digits");
        assertEquals("1234570", rows.get(2).get(ResultColumn.ITS_MEAN), "no exponent");
        assertEquals("2.5", rows.get(0).get(ResultColumn.ITS_MEAN), "the JVM row is kept");
        assertTrue(Files.list(dir).noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temp file left");
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(csv)),
                "the owner's permissions survive the peer's rename");
    }

    /** The peer and the harness (here: of another GPU's run) merging into one file at once lose no rows. */
    @Test
    void thePeerAndTheHarnessMergingAtOnceLoseNoRows() throws Exception {
        Needs.python3();
        Path csv = dir.resolve("h200.csv");
        Path py = dir.resolve("merge-many.py");
        Files.writeString(py, String.join("\n", "import sys; sys.path.insert(0, sys.argv[1]); import results_csv as r",
                "for b in range(1, 31):",
                "    r.merge(sys.argv[2], [dict(schema_version='2', gpu_slug='h200', runtime='python-eager', libtorch='2.11.0',",
                "        device='gpu', pipeline='sd-txt2img', batch=str(b), mode='eager', attention='sdpa', dtype='fp16',",
                "        model_size='full', steps='50', outcome='ok', time='2026-11-26T10:00:00Z', its_mean='20')])", ""));
        Process peer = new ProcessBuilder("python3", py.toString(), PEER.toString(), csv.toString())
                .redirectErrorStream(true).start();
        for (int b = 1; b <= 30; b++) {
            ResultsFile.merge(csv, List.of(row("diffbench", "eager", String.valueOf(b), "21")));
        }
        String out = new String(peer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(peer.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, peer.exitValue(), out);
        Map<String, Long> byRuntime = ResultsFile.read(csv).stream()
                .collect(Collectors.groupingBy(ResultRow::runtime, Collectors.counting()));
        assertEquals(Map.of("diffbench", 30L, "python-eager", 30L), byRuntime);
    }

    /** results/h200.csv was written before load_seconds and warmup_seconds: the peer merges into it all the same. */
    @Test
    void peerRowsMergeIntoAFileFromBeforeTheNewestColumns() throws Exception {
        Needs.python3();
        Path csv = dir.resolve("h200.csv");
        ResultsFile.write(csv, List.of(row("diffbench", "eager", "1", "2.5")));
        int kept = ResultColumn.UNET_CALLS_PER_IMAGE.ordinal() + 1;
        Files.write(csv, Files.readAllLines(csv).stream()
                .map(l -> String.join(",", List.of(l.split(",", -1)).subList(0, kept))).toList());
        mergeWithThePeer(csv,
                "r.merge(sys.argv[2], [dict(schema_version=str(r.SCHEMA_VERSION), gpu_slug='h200', runtime='python-eager',",
                "    libtorch='2.11.0', device='gpu', pipeline='sd-txt2img', batch='1', mode='eager', attention='sdpa',",
                "    dtype='fp16', model_size='full', steps='50', outcome='ok', time='2026-11-26T10:00:00Z', its_mean='20',",
                "    load_seconds='3.5', warmup_seconds='62')])");
        List<ResultRow> rows = ResultsFile.read(csv);
        assertEquals(List.of("diffbench", "python-eager"), rows.stream().map(ResultRow::runtime).toList());
        assertEquals("", rows.get(0).get(ResultColumn.WARMUP_SECONDS), "not measured in the older row");
        assertEquals("62", rows.get(1).get(ResultColumn.WARMUP_SECONDS));
        assertEquals("3.5", rows.get(1).get(ResultColumn.LOAD_SECONDS));
    }

    @Test
    void anUnknownPeerRuntimeIsRefusedBeforeAnyCellRuns(@TempDir Path dir) {
        Path csv = dir.resolve("r.csv");
        assertEquals(HarnessMain.USAGE, HarnessMain.run("--results=" + csv, "--device=cpu", "--tiny", "--pipelines=sd-txt2img",
                "--batches=1", "--modes=eager", "--peer", "--peer-runtimes=python-eager,python-compile-default"));
        assertFalse(Files.exists(csv), "no cell ran");
    }

    /** --peer-only skips every JVM cell: with no Python to run the peer either, nothing at all is written. */
    @Test
    void peerOnlyRunsNoJvmCell(@TempDir Path dir) {
        Path csv = dir.resolve("r.csv");
        assertEquals(0, HarnessMain.run("--results=" + csv, "--device=cpu", "--tiny", "--pipelines=sd-txt2img",
                "--batches=1", "--modes=eager", "--peer-only", "--python=" + dir.resolve("no-such-python")));
        assertFalse(Files.exists(csv), "no JVM cell ran");
        assertFalse(Files.exists(dir.resolve("r.jmh.json")));
    }

    @Test
    void thePeerCommandCarriesTheCellSetupAndAllBatchesOfAGroup() {
        List<Cell> cells = List.of(new Cell("sd-txt2img", 1, "eager", "sdpa", "fp16", 50, false, "gpu"),
                new Cell("sd-txt2img", 1, "compiled", "sdpa", "fp16", 50, false, "gpu"),
                new Cell("sd-txt2img", 16, "eager", "sdpa", "fp16", 50, false, "gpu"),
                new Cell("sdxl-txt2img", 1, "eager", "sdpa", "fp16", 50, false, "gpu"));
        Map<Cell, List<Cell>> groups = PeerRunner.groups(cells);
        assertEquals(2, groups.size());
        HostEnvironment env = new HostEnvironment(Optional.of(new NvidiaSmi.Gpu("NVIDIA H200", 143771, "580.1", "GPU-7d1c")), "17",
                "box", "EPYC (16 CPUs)", "abc123", "diffbench", new EngineVersions("2.7.1", "0.36.0", "12.8", ""));
        List<String> cmd = new PeerRunner("python3", List.of("python-eager", "python-compile-reduce-overhead"), Path.of("/repo"), 600).command(Path.of("/tmp/n"),
                groups.values().iterator().next(), new CellRows.Settings("full", 2, 5, 0, "", "default"), env, Path.of("/r/h200.csv"));
        String line = String.join(" ", cmd);
        assertTrue(line.startsWith("python3 /repo/peer/run_peer.py --networks /tmp/n --pipeline sd-txt2img --batches 1,16 "
                + "--steps 50 --dtype fp16 --attention sdpa --warmups 2 --measurements 5 --profile full --results /r/h200.csv "
                + "--runtimes python-eager,python-compile-reduce-overhead --device cuda --gpu-slug " + env.gpuSlug()
                + " --host box --host-cpu EPYC (16 CPUs) "), line);
        assertTrue(line.contains("--gpu-name NVIDIA H200 --driver 580.1 --nvidia-smi-id GPU-7d1c"), "the peer samples that card: " + line);
        assertTrue(line.contains("--gpu-name NVIDIA H200") && !line.contains("--tiny") && !line.contains("--memory-cap-mib"), line);
        assertTrue(line.endsWith(" --parent-pid " + ProcessHandle.current().pid()), "the peer ends with this harness: " + line);
        // the peer's TFLOP/s counts a UNet row as `diffbench models` does at the pipeline's size
        assertTrue(line.contains("--unet-flops-per-row " + NetworkCatalog.SD15_UNET.flopsAtDefaultShape() + " "), line);
    }

    /** peer/gpu_state.py samples a (stand-in) nvidia-smi and names the clock limits as GpuSampler does. */
    @Test
    void thePeerSamplesTheGpuAsTheHarnessDoes() throws Exception {
        Needs.python3();
        Path fake = dir.resolve("nvidia-smi");
        Files.writeString(fake, "#!/bin/sh\nwhile true; do echo '1500, 300.5, 55, 0x0000000000000024'; sleep 0.05; done\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path py = dir.resolve("sample.py");
        Files.writeString(py, String.join("\n",
                "import sys, time; sys.path.insert(0, sys.argv[1]); import gpu_state, results_csv",
                "s = gpu_state.Sampler([sys.argv[2]]); t0 = time.time() * 1000; time.sleep(0.4)",
                "print(sorted(s.summary(t0, time.time() * 1000, results_csv.number).items())); s.close()",
                "print(sorted(gpu_state.LIMITS.items()))", ""));
        Process p = new ProcessBuilder("python3", py.toString(), PEER.toString(), fake.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals("[('clock_limits', 'sw-power-cap,sw-thermal'), ('gpu_power_w', '300.5'), ('gpu_temperature_c', '55'), "
                + "('sm_clock_mhz', '1500')]", lines.get(0));
        String javaLimits = GpuSampler.LIMITS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "(" + e.getKey() + ", '" + e.getValue() + "')").collect(Collectors.joining(", ", "[", "]"));
        assertEquals(javaLimits, lines.get(1), "the same bits and names on both sides");
    }

    /** The peer's images per second and joules per image are ImageThroughput's, written as the harness writes them. */
    @Test
    void thePeerComputesThroughputAsTheSchemaDoes() throws Exception {
        Needs.python3();
        double[][] cases = {{1, 3.1, 612.5}, {4, 2.5, 600}, {16, 41.234567, 699.99}, {3, 0.0123457, 71.3}};
        StringBuilder python = new StringBuilder("cases = [");
        List<String> expected = new ArrayList<>();
        for (double[] c : cases) {
            int batch = (int) c[0];
            python.append("(").append(batch).append(", ").append(c[1]).append(", ").append(c[2]).append("), ");
            expected.add(CellRows.number(ImageThroughput.imagesPerSecond(batch, c[1])) + " "
                    + CellRows.number(ImageThroughput.joulesPerImage(OptionalDouble.of(c[2]), c[1], batch)));
        }
        Path out = dir.resolve("throughput.txt");
        mergeWithThePeer(out, python.append("]").toString(),
                "open(sys.argv[2], 'w').write('\\n'.join(r.number(r.images_per_second(b, s)) + ' '"
                        + " + r.number(r.joules_per_image(w, s, b)) for b, s, w in cases))",
                "assert r.number(r.joules_per_image(None, 2.5, 4)) == '' and r.images_per_second(0, 2.5) is None");
        assertEquals(expected, Files.readAllLines(out));
    }

    /** Runs Python lines with peer/results_csv.py imported as {@code r} and the CSV path in {@code sys.argv[2]}. */
    private void mergeWithThePeer(Path csv, String... lines) throws Exception {
        Path py = dir.resolve("merge.py");
        Files.writeString(py, "import sys; sys.path.insert(0, sys.argv[1]); import results_csv as r\n"
                + String.join("\n", lines) + "\n");
        Process p = new ProcessBuilder("python3", py.toString(), PEER.toString(), csv.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    private static ResultRow row(String runtime, String mode, String batch, String its) {
        Map<ResultColumn, String> c = new EnumMap<>(ResultColumn.class);
        c.put(ResultColumn.SCHEMA_VERSION_COLUMN, "1");
        c.put(ResultColumn.GPU_SLUG, "h200");
        c.put(ResultColumn.RUNTIME, runtime);
        c.put(ResultColumn.LIBTORCH, "2.11.0");
        c.put(ResultColumn.DEVICE, "gpu");
        c.put(ResultColumn.PIPELINE, "sd-txt2img");
        c.put(ResultColumn.BATCH, batch);
        c.put(ResultColumn.MODE, mode);
        c.put(ResultColumn.ATTENTION, "sdpa");
        c.put(ResultColumn.DTYPE, "fp16");
        c.put(ResultColumn.MODEL_SIZE, "full");
        c.put(ResultColumn.STEPS, "50");
        c.put(ResultColumn.OUTCOME, "ok");
        c.put(ResultColumn.ITS_MEAN, its);
        return ResultRow.of(c);
    }
}
