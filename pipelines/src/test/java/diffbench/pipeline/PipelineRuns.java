package diffbench.pipeline;

import diffbench.schema.Resolutions;
import diffbench.schema.Attention;
import diffbench.schema.DeviceKind;
import diffbench.schema.Dtype;
import diffbench.schema.Mode;
import diffbench.schema.PipelineId;
import ai.djl.ndarray.NDArray;
import diffbench.schedulers.StepCounting;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs one tiny pipeline on CPU and checks what it produced (shared by the eager and compiled tests). */
final class PipelineRuns {
    private PipelineRuns() {
    }

    /** Shape and finiteness of every image a call handed to its sink. */
    record Seen(long[] shape, boolean finite, double spread) {
    }

    static Map<String, Seen> runTiny(PipelineId id, int batch, Mode mode, int steps, int calls) {
        Map<String, Seen> seen = new LinkedHashMap<>();
        ImageSink sink = (name, images) -> {
            float[] v = images.toFloatArray();
            boolean finite = true;
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (float x : v) {
                finite &= Float.isFinite(x);
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            seen.put(name, new Seen(images.getShape().getShape(), finite, max - min));
        };
        PipelineSpec spec = new PipelineSpec(id, batch, mode, Attention.sdpa, Dtype.fp32,
                steps, true, DeviceKind.cpu, Optional.empty());
        PipelineOptions options = new PipelineOptions(PipelineOptions.BENCHMARK_PROMPT, Optional.empty(), Optional.empty(),
                sink, StepCounting.BENCHMARK);
        try (BenchmarkPipeline p = Pipelines.open(spec, options)) {
            for (int i = 0; i < calls; i++) {
                CallResult r = p.call();
                assertFalse(r.stages().isEmpty(), id + ": no denoising loop timed");
                for (CallResult.StageTiming s : r.stages()) {
                    assertTrue(s.iterations() > 0 && s.loopSeconds() > 0, id + " stage " + s.stage());
                }
                assertTrue(r.seconds() >= r.outsideLoopSeconds() && r.outsideLoopSeconds() >= 0, id + ": timings");
                assertEquals(-1, r.peakMemoryBytes(), "no GPU memory figure on CPU");
                assertEquals(-1, r.peakReservedBytes(), "no reserved-memory figure on CPU");
            }
        }
        return seen;
    }

    /** One eager call of a tiny pipeline on CPU, images discarded. */
    static CallResult callTiny(PipelineId id, int batch, int steps) {
        PipelineSpec spec = new PipelineSpec(id, batch, Mode.eager, Attention.sdpa,
                Dtype.fp32, steps, true, DeviceKind.cpu, Optional.empty());
        PipelineOptions options = new PipelineOptions(PipelineOptions.BENCHMARK_PROMPT, Optional.empty(), Optional.empty(),
                (name, images) -> { }, StepCounting.BENCHMARK);
        try (BenchmarkPipeline p = Pipelines.open(spec, options)) {
            return p.call();
        }
    }

    /** Asserts an image batch of the given size, finite and not flat. */
    static void assertImages(Map<String, Seen> seen, String name, int batch, int pixels) {
        Seen s = seen.get(name);
        assertTrue(s != null, "no images named " + name + " in " + seen.keySet());
        assertArrayEquals(new long[] {batch, 3, pixels, pixels}, s.shape(), name + " shape");
        assertTrue(s.finite(), name + " has non-finite values");
        assertTrue(s.spread() > 0, name + " is flat");
    }

    static void allPipelinesProduceImages(Mode mode, int batch) {
        for (PipelineId id : new PipelineId[] {PipelineId.SD_TXT2IMG, PipelineId.SD_IMG2IMG, PipelineId.SD_INPAINT,
                PipelineId.SD_CONTROLNET, PipelineId.SDXL_TXT2IMG}) {
            assertImages(runTiny(id, batch, mode, 3, 1), id.id(), batch, Resolutions.pixels(id, true));
        }
        Map<String, Seen> cascade = runTiny(PipelineId.IF, batch, mode, 3, 1);
        assertImages(cascade, "if-stage1", batch, Resolutions.ifStage(1, true));
        assertImages(cascade, "if-stage2", 1, Resolutions.ifStage(2, true));
        assertImages(cascade, "if-stage3", 1, Resolutions.ifStage(3, true));
    }
}
