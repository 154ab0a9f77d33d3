package diffbench.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import diffbench.pipeline.BenchmarkPipeline;
import diffbench.pipeline.CallResult;
import diffbench.pipeline.ImageSink;
import diffbench.pipeline.PipelineOptions;
import diffbench.pipeline.PipelineSpec;
import diffbench.pipeline.Pipelines;
import diffbench.schedulers.StepCounting;
import diffbench.schema.Attention;
import diffbench.schema.DeviceKind;
import diffbench.schema.Dtype;
import diffbench.schema.Mode;
import diffbench.schema.PipelineId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * diffbench's JNI built against a local libtorch (CI: Debian's libtorch-dev 1.13) runs the same
 * workload as DJL's own JNI and gets the same numbers. Runs in its own JVM with DJL's pytorch-jni
 * and pytorch-native-cpu jars off the class path (profile {@code project-jni}), so a JNI that is
 * not found fails loudly instead of falling back to DJL's.
 *
 * <p>Tolerance 1e-5 relative: same fp32 ops, different libtorch builds (1.13 vs 2.7.1) may order
 * reductions differently.
 */
class ProjectJniIT {

    static final double TOLERANCE = 1e-5;
    static LocalLibtorch.Setup setup;

    @BeforeAll
    static void startOnLocalLibtorch() {
        String dir = System.getProperty("diffbench.test.libtorch", System.getenv(LocalLibtorch.ENV));
        assertNotNull(dir, "set -Ddiffbench.libtorch=<libtorch folder> (CI: /usr with Debian's libtorch-dev)");
        assertNotNull(ProjectJniIT.class.getClassLoader().getResource("pytorch-engine.properties"));
        assertEquals(null, ProjectJniIT.class.getClassLoader().getResource("jnilib/pytorch.properties"),
                "DJL's pytorch-jni jar must be off the class path");
        setup = LocalLibtorch.activate(Path.of(dir));
    }

    @Test
    void engineRunsDiffbenchsJniBuiltForThisLibtorch() {
        assertTrue(CudaExtras.isSupported(), String.valueOf(CudaExtras.reasonUnsupported()));
        assertEquals(setup.version(), CudaExtras.torchVersion());
        assertTrue(Files.exists(setup.jni()));
        assertEquals(setup.version(), Engine.getEngine("PyTorch").getVersion());
    }

    @Test
    void scenarioMatchesDjlsOwnJniAndPlainJava(@TempDir Path dir) throws IOException {
        Map<String, float[]> results = JniScenario.run(JniScenario.writeProbe(dir), true);
        JniScenario.assertClose(JniScenario.expected(true), results, TOLERANCE, "diffbench JNI vs plain Java");
        Path reference = DjlJniReferenceTest.REFERENCE;
        assertTrue(Files.exists(reference), reference + " missing: the default test run (DjlJniReferenceTest) writes it");
        Map<String, float[]> djl = ReferenceFile.read(reference);
        Map<String, float[]> common = new LinkedHashMap<>(results);
        common.keySet().retainAll(djl.keySet()); // all but bf16
        assertEquals(results.size() - 1, common.size());
        JniScenario.assertClose(djl, common, TOLERANCE, "diffbench JNI vs DJL JNI 2.7.1");
    }

    /**
     * Every pipeline end to end through this JNI (tiny configs, eager, math attention: libtorch 1.13
     * has no scaled_dot_product_attention): every NDArray operation the pipelines and schedulers use
     * must be implemented here, not just the engine test's.
     */
    @Test
    void everyPipelineRunsThroughDiffbenchsJni() {
        for (PipelineId id : PipelineId.values()) {
            List<String> problems = new ArrayList<>();
            ImageSink sink = (name, images) -> {
                for (float v : images.toFloatArray()) {
                    if (!Float.isFinite(v)) {
                        problems.add(name + " has non-finite values");
                        return;
                    }
                }
            };
            PipelineSpec spec = new PipelineSpec(id, 1, Mode.eager, Attention.math,
                    Dtype.fp32, 2, true, DeviceKind.cpu, Optional.empty());
            PipelineOptions options = new PipelineOptions(PipelineOptions.BENCHMARK_PROMPT, Optional.empty(),
                    Optional.empty(), sink, StepCounting.BENCHMARK);
            try (BenchmarkPipeline p = Pipelines.open(spec, options)) {
                CallResult r = p.call();
                assertTrue(r.stages().get(0).iterationsPerSecond() > 0, id.id());
            }
            assertTrue(problems.isEmpty(), id + ": " + problems);
        }
    }

    @Test
    void bfloat16IsMappedBothWays() {
        try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = nd.create(new float[] {1.5f, -2f}, new Shape(2)).toType(DataType.BFLOAT16, true);
            assertEquals(DataType.BFLOAT16, a.getDataType());
            assertEquals(DataType.BFLOAT16, nd.zeros(new Shape(3), DataType.BFLOAT16).getDataType());
        }
    }

    @Test
    void nativeErrorsBecomeEngineExceptionsAndTheEngineStaysUsable() {
        try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = nd.ones(new Shape(2, 3));
            EngineException bad = assertThrows(EngineException.class, () -> a.matMul(nd.ones(new Shape(2, 3))));
            assertFalse(bad.getMessage().isBlank());
            EngineException stub = assertThrows(EngineException.class, () -> a.fft(4));
            assertEquals("torchFft is not implemented by diffbench's JNI", stub.getMessage());
            assertEquals(6f, a.sum().getFloat());
        }
    }

    @Test
    void cudaExtrasAnswerZeroOnCpuLibtorch() {
        if (setup.flavor().equals("cpu")) {
            assertFalse(CudaExtras.hasCuda());
            assertEquals(CudaExtras.MemoryStats.ZERO, CudaExtras.memoryStats(0));
            assertFalse(CudaExtras.capMemory(0, 1L << 30));
            assertFalse(CudaGraph.isSupported());
            assertEquals(0, ProjectNatives.cudnnVersion(), "the native itself: a CPU libtorch's hooks know no cuDNN");
            assertEquals("", CudaExtras.cudnnVersion());
        }
        // torch.backends.cudnn.version()'s numbers, before and since cuDNN 9
        assertEquals("9.10.2", CudaExtras.cudnnVersionText(91002));
        assertEquals("8.9.2", CudaExtras.cudnnVersionText(8902));
        assertEquals("", CudaExtras.cudnnVersionText(0));
    }
}
