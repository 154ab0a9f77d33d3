package diffbench.reports;

import diffbench.schema.GpuSlug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishedFiguresTest {

    private static PublishedFigure find(List<PublishedFigure> all, String slug, int batch, String pipeline, String stage,
                                        String torch, boolean compiled) {
        return all.stream().filter(f -> f.slug().equals(slug) && f.batch() == batch && f.pipeline().equals(pipeline)
                && f.stage().equals(stage) && f.torch().equals(torch) && f.compiled() == compiled).findFirst().orElseThrow();
    }

    @Test
    void readsTheCopiedFileWithSlugsUnitsAndOutcomes() throws IOException {
        List<PublishedFigure> all = PublishedFigures.read(Fixtures.PROFILES);
        assertEquals(333, all.size());
        assertEquals(List.of("a100", "v100", "t4", "rtx-3090", "rtx-4090"), all.stream().map(PublishedFigure::slug).distinct().toList());
        PublishedFigure sIt = find(all, "t4", 16, "sd-txt2img", "", "2.0", false);
        assertEquals(1 / 2.34, sIt.itsPerSecond(), 1e-9);
        assertEquals("0.43 (2.34 s/it)", sIt.text());
        PublishedFigure oom = find(all, "t4", 16, "sd-img2img", "", "2.0", true);
        assertNull(oom.itsPerSecond());
        assertEquals("OOM after warmup", oom.text());
        // diffusers measured only stage I of IF at batch 4 and 16
        assertEquals(15.41, find(all, "v100", 4, "if", "I", "2.0", false).itsPerSecond());
    }

    @Test
    void slugsAndCardMatching() {
        assertEquals("rtx-3090", GpuSlug.of("RTX 3090"));
        assertEquals("a100", GpuSlug.of("A100"));
        assertEquals("h100", GpuSlug.of("NVIDIA H100"));
        assertTrue(GpuSlug.sameCard("a100-80gb", "a100"));
        assertTrue(!GpuSlug.sameCard("a1000", "a100"));
    }

    @Test
    void versionsSortNumerically() {
        assertEquals(List.of("2.0", "2.7.1", "2.11.0", "nightly"),
                List.of("nightly", "2.11.0", "2.0", "2.7.1").stream().sorted(Versions.ORDER).toList());
    }
}
