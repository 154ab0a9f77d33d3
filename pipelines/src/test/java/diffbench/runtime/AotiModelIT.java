package diffbench.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.nn.AttentionKernel;
import diffbench.torchscript.ModuleNode;
import diffbench.torchscript.StorageType;
import diffbench.weights.SyntheticWeights;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled mode's native half through diffbench's JNI on a local libtorch (profile
 * {@code project-jni}, DJL's own JNI off the class path): a tiny SD 1.5 UNet and ControlNet compiled
 * by AOTInductor (peer/aoti_compile.py under {@code DIFFBENCH_PYTHON}, default python3, whose torch
 * must be the libtorch's), loaded on the TorchScript archive's own weights, equal to the archive's
 * forward within {@link #TOLERANCE}. On a libtorch without AOTInductor (CI's Debian 1.13) the JNI
 * must say so in one line instead.
 *
 * <p>Tolerance 1e-4 absolute on outputs of magnitude ~1: fp32, Inductor fuses and reorders reductions
 * (3e-6 was seen on the tiny UNet).
 */
class AotiModelIT {
    static final double TOLERANCE = 1e-4;
    static final long SEED = 0;

    @BeforeAll
    static void startOnLocalLibtorch() {
        String dir = System.getProperty("diffbench.test.libtorch", System.getenv(LocalLibtorch.ENV));
        assertNotNull(dir, "set -Ddiffbench.libtorch=<libtorch folder>");
        LocalLibtorch.activate(Path.of(dir));
    }

    private static boolean aotiBuilt() {
        String why = AotiModel.unsupportedReason();
        if (why != null) {
            assertTrue(why.contains("AOTInductor is not available in this libtorch"), why);
            assertTrue(CudaExtras.torchVersion().matches("1\\..*|2\\.[0-7]\\..*"), CudaExtras.torchVersion());
            return false;
        }
        return true;
    }

    @Test
    void compiledUnetAndControlNetMatchTheirArchives(@TempDir Path tmp) {
        if (!aotiBuilt()) {
            return;
        }
        ArchiveCache archives = new ArchiveCache(tmp.resolve("archives"));
        try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray sample = nd.randomNormal(0, 1, new Shape(2, 4, 8, 8), DataType.FLOAT32); // the tiny sd pipelines' latents
            NDArray timestep = nd.create(981L);
            NDArray text = nd.randomNormal(0, 1, new Shape(2, 77, 32), DataType.FLOAT32);
            NDArray cond = nd.randomUniform(0, 1, new Shape(2, 3, 64, 64), DataType.FLOAT32);
            NDArray scale = nd.create(1f);

            ModuleNode unetRoot = NetworkCatalog.SD15_UNET.tiny(AttentionKernel.SDPA)
                    .emit(SyntheticWeights.onDevice(), StorageType.FLOAT32);
            ModuleNode controlRoot = NetworkCatalog.SD15_CONTROLNET_CANNY.tiny(AttentionKernel.SDPA)
                    .emit(SyntheticWeights.onDevice(), StorageType.FLOAT32);
            try (Network unet = Network.load(archives.archive("sd15-unet-tiny-fp32", unetRoot, "synthetic-on-device"),
                    Device.cpu(), OptionalLong.of(SEED));
                 Network control = Network.load(archives.archive("sd15-controlnet-canny-tiny-fp32", controlRoot,
                    "synthetic-on-device"), Device.cpu(), OptionalLong.of(SEED))) {
                NDList unetIn = new NDList(sample, timestep, text);
                NDList controlIn = new NDList(sample, timestep, text, cond, scale);
                NDList expectedUnet = unet.forward(unetIn);
                NDList expectedControl = control.forward(controlIn);

                InductorMode mode = new InductorMode(InductorOptions.DEFAULT, AotiCompiler.fromEnvironment());
                try (DenoiserCalls calls = mode.denoiserCalls(nd, n -> n == unet ? unetRoot : controlRoot)) {
                    assertClose(expectedUnet, calls.forward(unet, unetIn), "tiny sd15-unet");
                    NDList residuals = calls.forward(control, controlIn);
                    assertClose(expectedControl, residuals, "tiny sd15-controlnet-canny");
                    // a second call runs the loaded package again, without compiling
                    CompileRecord first = calls.compileRecord();
                    assertClose(expectedUnet, calls.forward(unet, unetIn), "tiny sd15-unet, second call");
                    assertEquals(first, calls.compileRecord());
                    assertTrue(first.cache().matches("hit|miss|hit\\+miss"), first.cache());
                }
                // a new session finds both packages in the cache
                try (DenoiserCalls calls = mode.denoiserCalls(nd, n -> n == unet ? unetRoot : controlRoot)) {
                    assertClose(expectedUnet, calls.forward(unet, unetIn), "tiny sd15-unet from the cache");
                    assertEquals("hit", calls.compileRecord().cache());
                    assertEquals(0.0, calls.compileRecord().compileSeconds());
                }
            }
        }
    }

    @Test
    void aFailedExportIsACompileErrorWithTorchsFirstLine(@TempDir Path tmp) {
        if (!aotiBuilt()) {
            return;
        }
        ArchiveCache archives = new ArchiveCache(tmp.resolve("archives"));
        ModuleNode root = NetworkCatalog.SD15_UNET.tiny(AttentionKernel.SDPA).emit(SyntheticWeights.onDevice(), StorageType.FLOAT32);
        try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch");
             Network unet = Network.load(archives.archive("sd15-unet-tiny-fp32", root, "synthetic-on-device"),
                     Device.cpu(), OptionalLong.of(SEED))) {
            AotiCompiler compiler = new AotiCompiler(tmp.resolve("aoti"), Optional.empty(),
                    System.getenv().getOrDefault(AotiCompiler.PYTHON_ENV, "python3"));
            InductorMode mode = new InductorMode(InductorOptions.DEFAULT, compiler);
            try (DenoiserCalls calls = mode.denoiserCalls(nd, n -> root)) {
                // the UNet called with a wrong text width: export fails inside torch
                NDList bad = new NDList(nd.zeros(new Shape(2, 4, 16, 16)), nd.create(1L), nd.zeros(new Shape(2, 77, 5)));
                AotiCompiler.CompileFailedException e = assertThrows(AotiCompiler.CompileFailedException.class,
                        () -> calls.forward(unet, bad));
                assertTrue(e.getMessage().startsWith("compile-error: export of sd15-unet-tiny-fp32: "), e.getMessage());
                assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
            }
            // no python with torch: one line naming the fix
            AotiCompiler noPython = new AotiCompiler(tmp.resolve("aoti2"), Optional.empty(), tmp.resolve("no-python").toString());
            try (DenoiserCalls calls = new InductorMode(InductorOptions.DEFAULT, noPython).denoiserCalls(nd, n -> root)) {
                NDList in = new NDList(nd.zeros(new Shape(2, 4, 16, 16)), nd.create(1L), nd.zeros(new Shape(2, 77, 32)));
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> calls.forward(unet, in));
                assertTrue(e.getMessage().contains("fix: pip install torch==" + CudaExtras.torchVersion()), e.getMessage());
            }
        }
    }

    static void assertClose(NDList expected, NDList actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": outputs");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).getShape(), actual.get(i).getShape(), what + " output " + i);
            float[] e = expected.get(i).toType(DataType.FLOAT32, false).toFloatArray();
            float[] a = actual.get(i).toType(DataType.FLOAT32, false).toFloatArray();
            double worst = 0;
            for (int j = 0; j < e.length; j++) {
                worst = Math.max(worst, Math.abs(e[j] - a[j]));
            }
            assertTrue(worst <= TOLERANCE, what + " output " + i + ": max |diff| " + worst + " > " + TOLERANCE);
        }
    }
}
