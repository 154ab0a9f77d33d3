package diffbench.runtime;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import diffbench.torchscript.ArchiveInspector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One network loaded from a TorchScript archive into libtorch through DJL, on one device. The
 * archive is checked first (a bad record is reported by name instead of reaching libtorch).
 * Networks emitted with on-device synthetic weights are filled right after loading by their
 * {@code init_weights} method, seeded through the engine.
 */
public final class Network implements AutoCloseable {
    private final Model model;
    private final PtSymbolBlock block;
    private final ParameterStore parameterStore;
    private final Path archive;
    private final boolean synthetic;

    private Network(Model model, Path archive, boolean synthetic) {
        this.model = model;
        this.archive = archive;
        this.synthetic = synthetic;
        this.block = (PtSymbolBlock) model.getBlock();
        this.parameterStore = new ParameterStore(model.getNDManager(), false);
    }

    /**
     * @param initSeed when present, draw the weights on the device with this seed (synthetic archives)
     */
    public static Network load(Path archive, Device device, OptionalLong initSeed) {
        ArchiveInspector.inspect(archive);
        Engines.pytorch();
        Model model = Model.newInstance(archive.getFileName().toString(), device, "PyTorch");
        try {
            model.load(archive, null, Map.of("mapLocation", "true"));
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("cannot load " + archive + ": " + e.getMessage(), e);
        } catch (ai.djl.MalformedModelException | RuntimeException e) {
            model.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        Network n = new Network(model, archive, initSeed.isPresent());
        if (initSeed.isPresent()) {
            try {
                n.initWeights(initSeed.getAsLong());
            } catch (RuntimeException e) {
                n.close();
                throw e;
            }
        }
        return n;
    }

    private void initWeights(long seed) {
        JniUtils.setSeed(seed);
        try (IValue result = IValueUtils.runMethod(block, "init_weights")) {
            // returns None; the parameters were replaced in place
        }
    }

    /** Runs {@code forward} on positional tensor inputs. */
    public NDList forward(NDList inputs) {
        return block.forward(parameterStore, inputs, false);
    }

    /** The TorchScript archive it was loaded from (the compiled mode compiles its Python twin from it). */
    public Path archive() {
        return archive;
    }

    /** Whether its weights were drawn at load by the archive's init_weights (synthetic archives). */
    public boolean synthetic() {
        return synthetic;
    }

    public NDManager manager() {
        return model.getNDManager();
    }

    public PtSymbolBlock block() {
        return block;
    }

    @Override
    public void close() {
        model.close();
    }
}
