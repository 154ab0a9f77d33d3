package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPU's clocks while a cell measures: nvidia-smi's looping output, parsed and summed over a window. */
class GpuSamplerTest {

    @Test
    void parsesNvidiaSmiLinesAndNamesTheClockLimits() {
        GpuSampler.Sample s = GpuSampler.parse(5, "1980, 612.34, 61, 0x0000000000000004").orElseThrow();
        assertEquals(new GpuSampler.Sample(5, 1980, 612.34, 61, 4), s);
        assertTrue(Double.isNaN(GpuSampler.parse(5, "1980, [N/A], 61, 0x0000000000000000").orElseThrow().powerW()));
        assertTrue(GpuSampler.parse(5, "Field \"clocks_event_reasons.active\" is not a valid field to query.").isEmpty());
        GpuSampler.Summary sum = GpuSampler.summarize(List.of(
                new GpuSampler.Sample(1, 1980, 600, 60, 0x1), // idle: not a limit
                new GpuSampler.Sample(2, 1700, 700, 70, 0x4 | 0x40))).orElseThrow();
        assertEquals(new GpuSampler.Summary(1840, 650, 70, "hw-thermal,sw-power-cap"), sum);
        assertTrue(GpuSampler.summarize(List.of()).isEmpty());
    }

    /** A stand-in nvidia-smi that prints a sample every 50 ms: only the samples inside the window count. */
    @Test
    void samplesWhileTheCellRunsAndSumsUpTheWindow(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("nvidia-smi");
        Files.writeString(fake, "#!/bin/sh\nwhile true; do echo '1500, 300.5, 55, 0x0000000000000020'; sleep 0.05; done\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (GpuSampler sampler = GpuSampler.start(List.of(fake.toString())).orElseThrow()) {
            long from = System.currentTimeMillis();
            Thread.sleep(400);
            long to = System.currentTimeMillis();
            GpuSampler.Summary s = sampler.summary(from, to).orElseThrow();
            assertEquals(new GpuSampler.Summary(1500, 300.5, 55, "sw-thermal"), s);
            assertTrue(sampler.summary(to + 60_000, to + 70_000).isEmpty(), "no sample in a window after the run");
        }
        try (GpuSampler none = GpuSampler.start(List.of(dir.resolve("missing").toString())).orElseThrow()) {
            Thread.sleep(200);
            assertTrue(none.summary(0, Long.MAX_VALUE).isEmpty(), "a sampler that cannot run gives rows without these figures");
        }
    }
}
