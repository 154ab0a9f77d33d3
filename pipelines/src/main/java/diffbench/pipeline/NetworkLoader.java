package diffbench.pipeline;

import ai.djl.Device;
import diffbench.models.catalog.ConfiguredNetwork;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.models.unet.UNetBase;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Layer;
import diffbench.runtime.ArchiveCache;
import diffbench.runtime.Network;
import diffbench.torchscript.ModuleNode;
import diffbench.torchscript.StorageType;
import diffbench.weights.DiffusersComponent;
import diffbench.weights.SafetensorsWeights;
import diffbench.weights.SyntheticWeights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns a pipeline's network recipes into loaded networks on the device: synthetic weights drawn on
 * the device from the seed, or real weights streamed from a local diffusers folder; the archive is
 * cached by architecture, dtype and weight source. Closes everything it loaded.
 */
final class NetworkLoader implements AutoCloseable {
    private final Device device;
    private final AttentionKernel kernel;
    private final boolean tiny;
    private final Optional<Path> weights;
    private final long seed;
    private final ArchiveCache cache;
    private final List<Network> loaded = new ArrayList<>();
    /** The architecture each network was emitted from, for counting its FLOPs. */
    private final Map<Network, Layer> architectures = new IdentityHashMap<>();
    /** The module tree each network was emitted from (the compiled mode writes its Python twin from it). */
    private final Map<Network, ModuleNode> roots = new IdentityHashMap<>();
    private final List<String> notes = new ArrayList<>();

    NetworkLoader(Device device, AttentionKernel kernel, boolean tiny, Optional<Path> weights, long seed, ArchiveCache cache) {
        this.device = device;
        this.kernel = kernel;
        this.tiny = tiny;
        this.weights = weights;
        this.seed = seed;
        this.cache = cache;
    }

    /**
     * Loads a network of the catalog in {@code type}: its built-in (or tiny) config with synthetic
     * weights, or the config and weights of its component folder. Throws the engine's exception (an
     * OOM at load) unchanged.
     */
    Network load(NetworkCatalog.Entry<?> entry, StorageType type) {
        return load(entry, type, "");
    }

    /**
     * As {@link #load(NetworkCatalog.Entry, StorageType)}, reading real weights from the pipeline
     * folder {@code pipelineFolder} inside the weights folder (the IF cascade spans three checkpoints).
     */
    Network load(NetworkCatalog.Entry<?> entry, StorageType type, String pipelineFolder) {
        ModuleNode root;
        String weightsKey;
        Layer layer;
        boolean synthetic = weights.isEmpty();
        if (synthetic) {
            layer = entry.build(kernel, tiny);
            root = layer.emit(SyntheticWeights.onDevice(), type);
            weightsKey = "synthetic-on-device";
        } else {
            DiffusersComponent component = DiffusersComponent.of(weights.get().resolve(pipelineFolder), entry.component());
            ConfiguredNetwork configured = entry.fromConfig(component.config(), kernel);
            configured.unknownKeys().forEach(k -> notes.add(entry.component() + "/config.json: unknown key " + k));
            SafetensorsWeights source = component.weightsFor(configured.network());
            source.ignored().forEach(n -> notes.add(entry.component() + ": ignored checkpoint tensor " + n));
            layer = configured.network();
            root = layer.emit(source, type);
            weightsKey = component.fingerprint();
        }
        Path archive = cache.archive(entry.id() + (tiny ? "-tiny" : "") + "-" + type.shortName(), root, weightsKey);
        Network network = Network.load(archive, device, synthetic ? OptionalLong.of(seed) : OptionalLong.empty());
        loaded.add(network);
        architectures.put(network, layer);
        roots.put(network, root);
        return network;
    }

    /** The UNet or ControlNet architecture a loaded network came from; empty for other networks. */
    Optional<UNetBase> denoiserArchitecture(Network network) {
        return architectures.get(network) instanceof UNetBase u ? Optional.of(u) : Optional.empty();
    }

    /** The module tree a loaded network was emitted from. */
    ModuleNode root(Network network) {
        ModuleNode root = roots.get(network);
        if (root == null) {
            throw new IllegalArgumentException("not a network of this loader: " + network.archive());
        }
        return root;
    }

    /** Loads a parameter-free module (a pipeline operation DJL's NDArray API lacks, e.g. bilinear resize). */
    Network loadOperation(String name, Layer layer) {
        Path archive = cache.archive(name, layer.emit(SyntheticWeights.onDevice(), StorageType.FLOAT32), "none");
        Network network = Network.load(archive, device, OptionalLong.empty());
        loaded.add(network);
        return network;
    }

    boolean synthetic() {
        return weights.isEmpty();
    }

    Optional<Path> weights() {
        return weights;
    }

    List<String> notes() {
        return notes;
    }

    @Override
    public void close() {
        for (int i = loaded.size() - 1; i >= 0; i--) {
            loaded.get(i).close();
        }
        loaded.clear();
        architectures.clear();
        roots.clear();
    }
}
