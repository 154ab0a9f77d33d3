package diffbench.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import diffbench.runtime.Engines;
import org.junit.jupiter.api.Test;

/** The harness's output check on the engine's own arrays: finite and varied, flat, NaN or infinity anywhere. */
class OutputCheckTest {

    @Test
    void tellsGoodFlatAndNonFiniteImagesApart() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray images = m.randomUniform(-1f, 1f, new Shape(2, 3, 8, 8));
            assertEquals(OutputCheck.OK, OutputCheck.of(images));
            assertEquals(OutputCheck.FLAT, OutputCheck.of(m.zeros(new Shape(2, 3, 8, 8))));
            float[] values = images.toFloatArray();
            values[77] = Float.NaN;
            assertEquals(OutputCheck.NON_FINITE, OutputCheck.of(m.create(values, images.getShape())));
            values[77] = Float.POSITIVE_INFINITY;
            assertEquals(OutputCheck.NON_FINITE, OutputCheck.of(m.create(values, images.getShape())));
            assertEquals(OutputCheck.OK, OutputCheck.of(images.toType(DataType.FLOAT16, false)), "fp16 images too");
        }
        // the CSV's words, and the worst of several calls is the lowest score
        assertEquals(OutputCheck.NON_FINITE, OutputCheck.fromScore(Math.min(OutputCheck.OK.score(), OutputCheck.NON_FINITE.score())));
        assertEquals("non-finite", OutputCheck.NON_FINITE.id());
        assertEquals("II", OutputCheck.stageOf("if-stage2"));
        assertEquals("", OutputCheck.stageOf("sd-txt2img"));
    }
}
