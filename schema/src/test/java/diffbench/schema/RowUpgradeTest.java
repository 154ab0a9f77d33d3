package diffbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows from before schema 4 read with today's meaning: the JVM's old `compiled` is ts-profiling. */
class RowUpgradeTest {

    private static ResultRow v3(String runtime, String mode) {
        return ResultRows.row("sd-txt2img", 1, mode).set(ResultColumn.SCHEMA_VERSION_COLUMN, 3)
                .set(ResultColumn.RUNTIME, runtime).build();
    }

    @Test
    void oldRowsSayWhichCompilerProducedThem() {
        ResultRow ts = RowUpgrade.toCurrentMeaning(v3("diffbench", "compiled"));
        assertEquals(List.of("ts-profiling", "torchscript-profiling", ""),
                List.of(ts.mode(), ts.get(ResultColumn.COMPILER), ts.get(ResultColumn.COMPILER_OPTIONS)));
        assertEquals(3, ts.schemaVersion(), "measured under schema 3, and says so");
        ResultRow graph = RowUpgrade.toCurrentMeaning(v3("diffbench", "cuda-graph"));
        assertEquals(List.of("cuda-graph", "torchscript-profiling"), List.of(graph.mode(), graph.get(ResultColumn.COMPILER)));
        assertEquals("none", RowUpgrade.toCurrentMeaning(v3("diffbench", "eager")).get(ResultColumn.COMPILER));
        assertEquals("none", RowUpgrade.toCurrentMeaning(v3("python-eager", "eager")).get(ResultColumn.COMPILER));
        ResultRow peer = RowUpgrade.toCurrentMeaning(v3("python-compile-reduce-overhead", "compiled"));
        assertEquals(List.of("compiled", "torch.compile", "reduce-overhead"),
                List.of(peer.mode(), peer.get(ResultColumn.COMPILER), peer.get(ResultColumn.COMPILER_OPTIONS)));
        // idempotent, and current rows are left alone
        assertEquals(ts, RowUpgrade.toCurrentMeaning(ts));
        ResultRow now = ResultRows.row("sd-txt2img", 1, "compiled").set(ResultColumn.COMPILER, "aotinductor").build();
        assertEquals(now, RowUpgrade.toCurrentMeaning(now));
    }

    @Test
    void theCommittedH200RowsReadRelabelled() throws IOException {
        List<ResultRow> rows = ResultsFile.read(Path.of("..", "results", "h200.csv"));
        assertFalse(rows.isEmpty());
        assertTrue(rows.stream().noneMatch(r -> r.runtime().equals("diffbench") && r.mode().equals("compiled")
                && r.schemaVersion() < 4), "old JVM 'compiled' rows must read as ts-profiling");
        assertTrue(rows.stream().anyMatch(r -> r.mode().equals("ts-profiling")));
        assertTrue(rows.stream().allMatch(r -> !r.get(ResultColumn.COMPILER).isEmpty()));
    }

    @Test
    void aV3FileMergedWithAV4RowKeepsBoth(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("r.csv");
        ResultsFile.write(csv, List.of(v3("diffbench", "compiled")));
        ResultRow aot = ResultRows.row("sd-txt2img", 1, "compiled").set(ResultColumn.COMPILER, "aotinductor")
                .set(ResultColumn.COMPILER_OPTIONS, "default").set(ResultColumn.COMPILE_CACHE, "hit").build();
        List<ResultRow> merged = ResultsFile.merge(csv, List.of(aot));
        assertEquals(List.of("ts-profiling", "compiled"), merged.stream().map(ResultRow::mode).toList());
        assertEquals(merged, ResultsFile.read(csv));
        assertTrue(Files.readString(csv).lines().findFirst().orElseThrow().endsWith("compile_seconds,compile_cache,peak_reserved_mib,images_per_second,joules_per_image"));
    }
}
