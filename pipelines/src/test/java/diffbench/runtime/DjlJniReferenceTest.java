package diffbench.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link JniScenario} (without bf16, which aborts DJL's JNI) on DJL's own JNI (libtorch 2.7.1 from pytorch-native-cpu), checks it
 * against plain Java, and stores the numbers in target/jni-reference/djl-2.7.1.txt so that
 * {@link ProjectJniIT} can compare diffbench's JNI against DJL's.
 */
class DjlJniReferenceTest {

    static final Path REFERENCE = Path.of("target", "jni-reference", "djl-2.7.1.txt");

    @Test
    void scenarioOnDjlJniMatchesPlainJavaAndIsStored(@TempDir Path dir) throws IOException {
        Map<String, float[]> results = JniScenario.run(JniScenario.writeProbe(dir), false);
        JniScenario.assertClose(JniScenario.expected(false), results, 1e-5, "DJL JNI vs plain Java");
        ReferenceFile.write(REFERENCE, results);
        assertTrue(Files.size(REFERENCE) > 0);
    }

    @Test
    void projectExtrasReportUnsupportedOnDjlJni() {
        assertFalse(CudaExtras.isSupported(), "DJL's own libdjl_torch.so has no diffbench natives");
        assertTrue(CudaExtras.reasonUnsupported().contains("DJL's own"), CudaExtras.reasonUnsupported());
        assertFalse(CudaExtras.hasCuda());
        assertTrue(CudaExtras.memoryStats(0).equals(CudaExtras.MemoryStats.ZERO));
        assertFalse(CudaExtras.capMemory(0, 1L << 30));
        assertFalse(CudaGraph.isSupported());
        CudaExtras.resetPeak(0); // a no-op, not an UnsatisfiedLinkError
    }
}
