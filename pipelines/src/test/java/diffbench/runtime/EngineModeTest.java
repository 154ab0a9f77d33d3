package diffbench.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import diffbench.schema.DeviceKind;
import diffbench.schema.Mode;
import org.junit.jupiter.api.Test;

/** Each mode of the vocabulary has its engine-mode object, which alone says what the mode does and needs. */
class EngineModeTest {

    @Test
    void everyModeHasItsObject() {
        for (Mode m : Mode.values()) {
            EngineMode engine = EngineMode.of(m);
            assertSame(m, engine.mode());
            assertEquals(m.compiler(), engine.compiler());
        }
        assertEquals(InductorOptions.DEFAULT.id(), EngineMode.of(Mode.compiled).compilerOptions());
        assertEquals("", EngineMode.of(Mode.cudaGraph).compilerOptions());
    }

    @Test
    void cudaGraphNeedsAGpuAndNamesTheAlternative() {
        EngineMode graphs = EngineMode.of(Mode.cudaGraph);
        assertEquals("mode cuda-graph cannot run here: it needs a CUDA GPU (this cell runs on cpu); use ts-profiling",
                graphs.refusal(graphs.deviceProblem(DeviceKind.cpu)));
        assertEquals(graphs.deviceProblem(DeviceKind.cpu), graphs.unsupportedReason(Device.cpu()));
        for (Mode m : new Mode[] {Mode.eager, Mode.tsProfiling, Mode.compiled}) {
            assertNull(EngineMode.of(m).deviceProblem(DeviceKind.cpu), m.id());
        }
        assertNull(EngineMode.of(Mode.eager).unsupportedReason(Device.cpu()));
    }

    @Test
    void theTorchScriptModesRunEachCallAsItIs() {
        Engines.pytorch();
        try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            assertSame(DenoiserCalls.PLAIN, EngineMode.of(Mode.eager).denoiserCalls(nd, n -> null));
            assertSame(DenoiserCalls.PLAIN, EngineMode.of(Mode.tsProfiling).denoiserCalls(nd, n -> null));
        }
    }
}
