package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small pieces, without forks. */
class UnitsTest {

    @TempDir
    Path dir;

    @Test
    void oomIsRecognisedFromTheEngineExceptionAndItsCauses() {
        assertTrue(OomClassifier.isOom(new EngineException("CUDA out of memory. Tried to allocate 20.00 MiB")));
        assertTrue(OomClassifier.isOom(new RuntimeException("forward failed",
                new EngineException("c10::OutOfMemoryError: allocation failed"))));
        assertTrue(OomClassifier.isOom(new EngineException("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: not enough memory: you tried to allocate 1099511627776 bytes.")));
        assertFalse(OomClassifier.isOom(new OutOfMemoryError("Java heap space")), "the JVM heap is the harness's problem");
        assertFalse(OomClassifier.isOom(new EngineException("Expected all tensors to be on the same device")));
    }

    @Test
    void phasesAndFaultSelectorsParse() {
        assertEquals(new Phase(Phase.Kind.warmup, 2), Phase.parse("warmup:2"));
        assertEquals(Phase.LOAD, Phase.parse("load"));
        assertThrows(IllegalArgumentException.class, () -> Phase.parse("iteration"));
        assertThrows(IllegalArgumentException.class, () -> Phase.parse("warmup:0"));
        Faults f = new Faults(Faults.parse("iteration:3"), Faults.parse("if:4:compiled=load"));
        Cell cell = new Cell("if", 4, "compiled", "sdpa", "fp16", 5, false, "gpu");
        assertEquals("iteration:3", f.oom(cell));
        assertEquals("load", f.hang(cell));
        assertEquals("none", f.hang(new Cell("if", 1, "compiled", "sdpa", "fp16", 5, false, "gpu")));
    }

    @Test
    void outcomesAreNamedByPhase() {
        assertEquals("oom-at-load", CellOutcome.failedAt(Phase.LOAD, true, "x").outcome());
        assertEquals("oom-in-warmup-2", CellOutcome.failedAt(Phase.parse("warmup:2"), true, "x").outcome());
        assertEquals("oom-at-iteration-1", CellOutcome.failedAt(Phase.parse("iteration:1"), true, "x").outcome());
        CellOutcome error = CellOutcome.failedAt(Phase.parse("iteration:1"), false, "boom");
        assertEquals("error", error.outcome());
        assertEquals("in iteration:1: boom", error.message());
    }

    @Test
    void nvidiaSmiOutputParses() {
        NvidiaSmi.Gpu h100 = NvidiaSmi.parse("NVIDIA H100 80GB HBM3, 81559, 580.159.04\n").orElseThrow();
        assertEquals(new NvidiaSmi.Gpu("NVIDIA H100 80GB HBM3", 81559, "580.159.04"), h100);
        assertEquals(-1, NvidiaSmi.parse("Tesla T4, [N/A], [Not Supported]").orElseThrow().memoryMib());
        assertTrue(NvidiaSmi.parse("").isEmpty());
        assertEquals("nvidia-h100-80gb-hbm3", HostEnvironment.slug(h100.name()));
    }

    @Test
    void everyGpuProfileLoadsAndEmulateResolvesByNameOrAlias() {
        GpuProfiles profiles = GpuProfiles.load(Path.of(System.getProperty("diffbench.root", ".."), "gpu-profiles"));
        assertEquals(List.of("a100-40gb", "a100-80gb", "h100", "h200", "l4", "rtx-3090", "rtx-4090", "t4", "v100-16gb"),
                profiles.all().stream().map(GpuProfiles.GpuProfile::slug).toList());
        for (GpuProfiles.GpuProfile p : profiles.all()) {
            assertTrue(p.memoryMib() > 10_000 && p.bandwidthGbs() > 0 && p.fp16Tflops() > 0, p.toString());
            assertFalse(p.source().isBlank());
        }
        assertEquals(15360, profiles.resolve("T4").memoryMib());
        assertNull(profiles.resolve("t4").bf16Tflops(), "Turing has no bf16 tensor cores");
        assertEquals("h100", profiles.resolve("NVIDIA H100 80GB HBM3").slug());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> profiles.resolve("K80"));
        assertTrue(e.getMessage().contains("t4"), e.getMessage());
    }

    private static Map<String, String> row(String pipeline, String stage, String its) {
        Map<String, String> r = new LinkedHashMap<>();
        ResultRowBuilder.COLUMNS.forEach(c -> r.put(c, ""));
        r.put("schema_version", "1");
        r.put("gpu_slug", "cpu-smoke");
        r.put("pipeline", pipeline);
        r.put("stage", stage);
        r.put("batch", "1");
        r.put("its_mean", its);
        return r;
    }

    @Test
    void mergeReplacesACellsRowsKeepsOthersAndForeignColumns() throws Exception {
        Path csv = dir.resolve("r.csv");
        CsvResultsFile file = new CsvResultsFile(csv, ResultRowBuilder.COLUMNS, ResultRowBuilder.CELL_KEY);
        file.merge(List.of(row("if", "I", "1"), row("if", "II", "2"), row("if", "III", "3"), row("sd-txt2img", "", "4")));
        // someone added a column by hand: it survives merges
        List<Map<String, String>> edited = Results.read(csv);
        edited.forEach(r -> r.put("note", "checked by hand"));
        Results.write(csv, edited);
        // the IF cell now fails: its three stage rows become one
        Map<String, String> failed = row("if", "", "");
        failed.put("outcome", "oom-at-load");
        file.merge(List.of(failed));
        List<Map<String, String>> rows = Results.read(csv);
        assertEquals(2, rows.size());
        assertEquals("4", Results.only(rows, "sd-txt2img", "1", "", "").get("its_mean"));
        assertEquals("oom-at-load", Results.only(rows, "if", "1", "", "").get("outcome"));
        assertEquals("checked by hand", Results.only(rows, "sd-txt2img", "1", "", "").get("note"));
        assertEquals("", Results.only(rows, "if", "1", "", "").get("note"));
    }

    @Test
    void numbersKeepSixSignificantDigits() {
        assertEquals("41.2346", ResultRowBuilder.number(41.234567));
        assertEquals("0.0123457", ResultRowBuilder.number(0.01234567));
        assertEquals("", ResultRowBuilder.number(Double.NaN));
    }
}
