package diffbench.models.unet;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import diffbench.nn.Layer;
import diffbench.runtime.Network;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.StorageType;
import diffbench.nn.WeightSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model emitted as an fp32 archive, loaded through DJL on CPU, with input makers and output checks. */
public final class LoadedModel implements AutoCloseable {
    public final Network network;
    public final NDManager nd;

    public LoadedModel(Layer root, WeightSource weights, OptionalLong initSeed, Path dir) throws IOException {
        Path file = dir.resolve(root.className() + ".pt");
        ArchiveWriter.write(root.emit(weights, StorageType.FLOAT32), file);
        network = Network.load(file, Device.cpu(), initSeed);
        nd = network.manager().newSubManager();
    }

    /** A reproducible standard-normal fp32 input. */
    public NDArray normal(long seed, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[(int) new Shape(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return nd.create(v, new Shape(shape));
    }

    public NDList forward(NDArray... inputs) {
        return network.forward(new NDList(inputs));
    }

    /** Calls another method of the module; {@code NDArray} arguments become tensors, {@code List<NDArray>} tensor lists. */
    public NDList call(String method, Object... args) {
        List<IValue> values = new ArrayList<>();
        try {
            for (Object a : args) {
                if (a instanceof NDArray x) {
                    values.add(IValue.from((PtNDArray) x));
                } else if (a instanceof List<?> list) {
                    values.add(IValue.listFrom(list.stream().map(x -> (PtNDArray) x).toArray(PtNDArray[]::new)));
                } else {
                    throw new IllegalArgumentException("unsupported argument " + a);
                }
            }
            try (IValue out = IValueUtils.runMethod(network.block(), method, values.toArray(new IValue[0]))) {
                return out.toNDList((PtNDManager) nd);
            }
        } finally {
            values.forEach(IValue::close);
        }
    }

    /** The output has the shape, only finite values, and is not constant. */
    public static void assertUsable(NDArray out, long[] shape, String what) {
        assertArrayEquals(shape, out.getShape().getShape(), what + ": shape");
        float[] v = out.toFloatArray();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            assertTrue(Float.isFinite(v[i]), what + ": non-finite value at " + i);
            min = Math.min(min, v[i]);
            max = Math.max(max, v[i]);
        }
        assertTrue(max > min, what + ": constant output " + min);
    }

    @Override
    public void close() {
        nd.close();
        network.close();
    }
}
