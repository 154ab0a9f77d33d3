package diffbench.peer;

import diffbench.models.catalog.NetworkCatalog;
import diffbench.models.clip.TextEncoders;
import diffbench.models.unet.UNetBase;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Layer;
import diffbench.schema.PipelineId;
import diffbench.schema.Resolutions;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.ModuleNode;
import diffbench.torchscript.StorageType;
import diffbench.weights.SyntheticWeights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code peer/run_peer.py} needs for one pipeline: each network's TorchScript archive
 * ({@code <id>.pt}, synthetic weights drawn on the device from seed 0 at load, exactly as the
 * pipeline's NetworkLoader writes it) and its Python twin ({@code <id>.py}), in the dtypes the Java
 * pipeline loads them (SDXL's VAE in fp32).
 */
public final class PeerNetworks {
    /** The pipelines the peer runs, with their networks. */
    private static final Map<PipelineId, List<NetworkCatalog.Entry<?>>> NETWORKS = Map.of(
            PipelineId.SD_TXT2IMG, List.of(NetworkCatalog.CLIP_L_TEXT_ENCODER, NetworkCatalog.SD15_UNET, NetworkCatalog.SD15_VAE),
            PipelineId.SDXL_TXT2IMG, List.of(NetworkCatalog.CLIP_L_TEXT_ENCODER, NetworkCatalog.SDXL_TEXT_ENCODER_2,
                    NetworkCatalog.SDXL_UNET, NetworkCatalog.SDXL_VAE));

    private PeerNetworks() {
    }

    public static boolean supports(PipelineId pipeline) {
        return NETWORKS.containsKey(pipeline);
    }

    /**
     * FLOPs of one UNet row of the pipeline (one latent of its output size, 77 tokens), so the peer
     * reports its denoiser TFLOP/s counted as the Java side counts them.
     */
    public static long unetFlopsPerRow(PipelineId pipeline, boolean tiny) {
        UNetBase unet = NETWORKS.getOrDefault(pipeline, List.of()).stream().map(e -> e.build(AttentionKernel.SDPA, tiny))
                .filter(UNetBase.class::isInstance).map(UNetBase.class::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the PyTorch peer has no UNet for " + pipeline.id()));
        long latent = Resolutions.pixels(pipeline, tiny) / 8;
        return unet.flops(new long[] {1, unet.config().inChannels(), latent, latent}, TextEncoders.TOKENS);
    }

    /** Writes the files into {@code dir} (created); returns them. */
    public static List<Path> write(PipelineId pipeline, boolean tiny, StorageType dtype, AttentionKernel kernel, Path dir)
            throws IOException {
        List<NetworkCatalog.Entry<?>> entries = NETWORKS.get(pipeline);
        if (entries == null) {
            throw new IllegalArgumentException("the PyTorch peer runs " + NETWORKS.keySet().stream().map(PipelineId::id)
                    .sorted().toList() + ", not " + pipeline.id());
        }
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (NetworkCatalog.Entry<?> entry : entries) {
            Layer network = tiny ? entry.tiny(kernel) : entry.build(kernel);
            StorageType type = entry == NetworkCatalog.SDXL_VAE ? StorageType.FLOAT32 : dtype; // diffusers' force_upcast
            ModuleNode root = network.emit(SyntheticWeights.onDevice(), type);
            Path archive = dir.resolve(entry.id() + ".pt");
            ArchiveWriter.write(root, archive);
            Path twin = dir.resolve(entry.id() + ".py");
            Files.writeString(twin, PythonTwin.source(root, entry.id() + (tiny ? " (tiny)" : "") + ", "
                    + kernel.name().toLowerCase(Locale.ROOT) + " attention, " + type.shortName()), StandardCharsets.UTF_8);
            files.add(archive);
            files.add(twin);
        }
        return files;
    }
}
