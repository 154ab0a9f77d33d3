package diffbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The repository's gpu-profiles/: every card loads, and is found by slug, alias or nvidia-smi name. */
class GpuProfilesTest {
    private static final GpuProfiles PROFILES = GpuProfiles.load(Path.of("..", "gpu-profiles"));

    @Test
    void everyGpuProfileLoadsAndResolvesByNameOrAlias() {
        assertEquals(List.of("a100-40gb", "a100-80gb", "h100", "h200", "l4", "rtx-3090", "rtx-4090", "t4", "v100-16gb"),
                PROFILES.all().stream().map(GpuProfiles.GpuProfile::slug).toList());
        for (GpuProfiles.GpuProfile p : PROFILES.all()) {
            assertTrue(p.memoryMib() > 10_000 && p.bandwidthGbs() > 0 && p.fp16Tflops() > 0, p.toString());
            assertFalse(p.source().isBlank());
        }
        assertEquals(15360, PROFILES.resolve("T4").memoryMib());
        assertNull(PROFILES.resolve("t4").bf16Tflops(), "Turing has no bf16 tensor cores");
        assertEquals("h100", PROFILES.resolve("NVIDIA H100 80GB HBM3").slug());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PROFILES.resolve("K80"));
        assertTrue(e.getMessage().contains("t4"), e.getMessage());
    }

    @Test
    void peakByDtype() {
        GpuProfiles.GpuProfile t4 = PROFILES.resolve("T4");
        assertEquals(t4.fp16Tflops(), t4.peakTflops("fp16").getAsDouble());
        assertTrue(t4.peakTflops("bf16").isEmpty(), "no bf16 tensor cores");
        assertTrue(t4.peakTflops("fp32").isEmpty(), "no tensor-core peak for fp32");
        assertEquals(PROFILES.resolve("h200").fp16Tflops(), PROFILES.find("NVIDIA H200").orElseThrow().peakTflops("bf16").getAsDouble());
    }
}
