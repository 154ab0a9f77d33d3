package diffbench.schema;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuSlugTest {
    @Test
    void nvidiaSmiNamesAndPublishedNamesMeetOnOneSlug() {
        assertEquals("rtx-4090", GpuSlug.of("NVIDIA GeForce RTX 4090"));
        assertEquals("rtx-4090", GpuSlug.of("RTX 4090"));
        assertEquals("h100-80gb-hbm3", GpuSlug.of("NVIDIA H100 80GB HBM3"));
        assertEquals("t4", GpuSlug.of("Tesla T4"));
        assertEquals("a100-sxm4-80gb", GpuSlug.of("NVIDIA A100-SXM4-80GB"));
        assertTrue(GpuSlug.sameCard(GpuSlug.of("NVIDIA A100-SXM4-80GB"), GpuSlug.of("A100")));
        assertTrue(GpuSlug.sameCard(GpuSlug.of("Tesla V100-SXM2-16GB"), GpuSlug.of("V100")));
        assertTrue(GpuSlug.sameCard(GpuSlug.of("NVIDIA GeForce RTX 3090"), GpuSlug.of("RTX 3090")));
        assertFalse(GpuSlug.sameCard(GpuSlug.of("NVIDIA RTX A1000"), GpuSlug.of("A100")));
        assertFalse(GpuSlug.sameCard("a1000", "a100"));
        assertFalse(GpuSlug.sameCard(GpuSlug.of("NVIDIA A100-SXM4-40GB MIG 1g.5gb"), GpuSlug.of("A100")), "a slice is not the card");
    }
}
