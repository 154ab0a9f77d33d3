package diffbench.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import diffbench.runtime.Network;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.StorageType;
import diffbench.weights.SyntheticWeights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Emits a layer as an archive with seeded weights, loads it through DJL on CPU, and exposes the
 * weights as the loaded module holds them (by state_dict name, in fp32) so tests can compute a
 * reference with NDArray operations from exactly those values.
 */
final class LayerHarness implements AutoCloseable {
    final Network network;
    final NDManager nd;
    final Map<String, NDArray> params = new LinkedHashMap<>();
    final StorageType type;

    /** Low-precision layers are wrapped in a module that casts fp32 inputs and outputs (see {@link Cast}). */
    LayerHarness(Layer layer, StorageType type, Path dir, String... forwardArgs) throws IOException {
        this.type = type;
        Path file = dir.resolve(layer.className() + "-" + type.shortName() + ".pt");
        boolean cast = type != StorageType.FLOAT32;
        Layer root = cast ? new Cast(layer, type, forwardArgs) : layer;
        ArchiveWriter.write(root.emit(SyntheticWeights.seeded(7), type), file);
        network = Network.load(file, Device.cpu(), OptionalLong.empty());
        nd = network.manager().newSubManager();
        network.block().getParameters().forEach(p -> params.put(
                cast ? p.getKey().substring(Cast.PREFIX.length()) : p.getKey(),
                p.getValue().getArray().toType(DataType.FLOAT32, true)));
        // the loaded module holds exactly the declared parameters, with the declared shapes
        Map<String, ParamSpec> declared = layer.namedParameters();
        assertEquals(declared.keySet(), params.keySet(), "parameter names read back from the module");
        declared.forEach((k, v) -> assertArrayEquals(v.shape(), params.get(k).getShape().getShape(), "shape of " + k));
    }

    NDArray p(String name) {
        NDArray a = params.get(name);
        if (a == null) {
            throw new AssertionError("no parameter " + name + " in " + params.keySet());
        }
        return a;
    }

    /** A reproducible standard-normal input in fp32. */
    NDArray input(long seed, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[(int) new Shape(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return nd.create(v, new Shape(shape));
    }

    /** Runs the module on fp32 inputs; returns the output in fp32. */
    NDArray run(NDArray... inputs) {
        return network.forward(new NDList(inputs)).singletonOrThrow().toType(DataType.FLOAT32, true);
    }

    /** |actual - expected| <= tol * max(1, max|expected|), elementwise. */
    static void assertClose(NDArray expected, NDArray actual, double tol, String what) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what + ": shape");
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        double scale = 1;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            assertTrue(Float.isFinite(a[i]), what + ": non-finite output at " + i);
            worst = Math.max(worst, Math.abs(e[i] - a[i]));
        }
        assertTrue(worst <= tol * scale, what + ": max abs error " + worst + " exceeds " + tol + " x " + scale);
    }

    @Override
    public void close() {
        nd.close();
        network.close();
    }
}
