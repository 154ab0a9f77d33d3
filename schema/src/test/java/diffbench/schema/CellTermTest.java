package diffbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cell's vocabulary: ids as CSV rows spell them, display order, and one clear line for an unknown id. */
class CellTermTest {

    @Test
    void idsComeInDisplayOrder() {
        assertEquals(List.of("sd-txt2img", "sd-img2img", "sd-inpaint", "sd-controlnet", "if", "sdxl-txt2img"),
                CellTerm.ids(PipelineId.class));
        assertEquals(List.of("eager", "compiled", "ts-profiling", "cuda-graph"), CellTerm.ids(Mode.class));
        assertEquals(List.of("fp16", "bf16", "fp32"), CellTerm.ids(Dtype.class));
        assertEquals(List.of("sdpa", "math"), CellTerm.ids(Attention.class));
        assertEquals(List.of("cpu", "gpu"), CellTerm.ids(DeviceKind.class));
        assertEquals("python-compile-reduce-overhead", RuntimeKind.pythonCompileReduceOverhead.id());
        assertEquals(1, CellTerm.rank(Mode.class, "compiled"));
        assertEquals(4, CellTerm.rank(Mode.class, "a future mode"), "unknown ids sort after the known ones");
    }

    @Test
    void eachTermIsFoundByItsId() {
        for (Class<? extends CellTerm> type : List.of(PipelineId.class, Mode.class, Dtype.class, Attention.class,
                DeviceKind.class, RuntimeKind.class)) {
            for (CellTerm t : type.getEnumConstants()) {
                assertEquals(t, find(type, t.id()));
            }
        }
        assertEquals(List.of("I", "II", "III"), PipelineId.IF.stages());
        assertEquals("torchscript-profiling", Mode.cudaGraph.compiler());
    }

    @Test
    void anUnknownIdNamesTheValidOnes() {
        assertEquals("unknown dtype 'fp8': use one of fp16, bf16, fp32",
                assertThrows(IllegalArgumentException.class, () -> Dtype.fromId("fp8")).getMessage());
        assertEquals("unknown runtime 'jax': use one of diffbench, python-eager, python-compile-reduce-overhead, "
                        + "python-compile-max-autotune-no-cudagraphs",
                assertThrows(IllegalArgumentException.class, () -> RuntimeKind.fromId("jax")).getMessage());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static CellTerm find(Class<? extends CellTerm> type, String id) {
        return (CellTerm) CellTerm.fromId((Class) type, "term", id);
    }
}
