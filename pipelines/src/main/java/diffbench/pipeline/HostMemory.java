package diffbench.pipeline;

import diffbench.models.catalog.NetworkCatalog;
import diffbench.models.unet.UNetBase;
import diffbench.models.vae.AutoencoderKL;
import diffbench.nn.AttentionKernel;
import diffbench.schema.DeviceKind;
import diffbench.schema.Dtype;
import diffbench.schema.PipelineId;
import diffbench.schema.Resolutions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Host memory a CPU cell needs, estimated before anything loads, so a batch the machine cannot hold
 * is refused in one line instead of eating the host's memory until the kernel kills the process.
 *
 * <p>The estimate is a floor, not a forecast: the weights of every network the pipeline loads, plus
 * three live activations (input, normalised, convolved) of the largest feature map the batch
 * passes through, the VAE decoder's first channels at the output size (IF: stage I's UNet at
 * 64 px for both guidance rows). Real peaks are higher; a cell refused by this could never run.
 */
public final class HostMemory {
    private HostMemory() {
    }

    /** Bytes the cell needs at least on the host (a CPU cell: weights and activations live there). */
    public static long estimateBytes(PipelineSpec spec) {
        boolean tiny = spec.tiny();
        int dtypeBytes = spec.dtype() == Dtype.fp32 ? 4 : 2;
        long weights = 0;
        for (NetworkCatalog.Entry<?> network : networks(spec.pipelineId())) {
            // the VAEs run in fp32 whatever the cell's dtype (diffusers upcasts them)
            int bytes = network.type() == AutoencoderKL.class ? 4 : dtypeBytes;
            weights += network.build(AttentionKernel.SDPA, tiny).parameterCount() * bytes;
        }
        long activations;
        if (spec.pipelineId() == PipelineId.IF) {
            long px = Resolutions.ifStage(1, tiny);
            long channels = ((UNetBase) NetworkCatalog.IF_I_M_UNET.build(AttentionKernel.SDPA, tiny)).config().blockOutChannels().get(0);
            activations = 3L * 2 * spec.batch() * channels * px * px * dtypeBytes;
        } else {
            long px = Resolutions.pixels(spec.pipelineId(), tiny);
            NetworkCatalog.Entry<AutoencoderKL> vae = spec.pipelineId() == PipelineId.SDXL_TXT2IMG ? NetworkCatalog.SDXL_VAE
                    : NetworkCatalog.SD15_VAE;
            long channels = vae.build(AttentionKernel.SDPA, tiny).config().blockOutChannels().get(0);
            activations = 3L * spec.batch() * channels * px * px * 4;
        }
        return weights + activations;
    }

    /**
     * Refuses a CPU cell whose estimate exceeds the memory available now (/proc/meminfo's
     * MemAvailable; nothing is refused where that cannot be read).
     *
     * @throws IllegalArgumentException naming the estimate, what is available and the fix
     */
    public static void check(PipelineSpec spec) {
        if (spec.device() != DeviceKind.cpu) {
            return;
        }
        OptionalLong available = availableBytes(Path.of("/proc/meminfo"));
        long needed = estimateBytes(spec);
        if (available.isPresent() && needed > available.getAsLong()) {
            throw new IllegalArgumentException(String.format("%s batch %d on CPU needs at least %s of host memory (weights and "
                    + "activations, estimated), more than the %s available: use a smaller batch", spec.pipelineId().id(),
                    spec.batch(), gib(needed), gib(available.getAsLong())));
        }
    }

    /** MemAvailable from a /proc/meminfo-format file, in bytes; empty where there is none. */
    static OptionalLong availableBytes(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or a kernel without the field: no refusal
        }
        return OptionalLong.empty();
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    /** The networks a pipeline loads (IF's T5 is not: its prompt embeddings are synthetic). */
    private static List<NetworkCatalog.Entry<?>> networks(PipelineId id) {
        return switch (id) {
            case SD_TXT2IMG, SD_IMG2IMG -> List.of(NetworkCatalog.SD15_UNET, NetworkCatalog.SD15_VAE, NetworkCatalog.CLIP_L_TEXT_ENCODER);
            case SD_INPAINT -> List.of(NetworkCatalog.SD_INPAINT_UNET, NetworkCatalog.SD15_VAE, NetworkCatalog.CLIP_L_TEXT_ENCODER);
            case SD_CONTROLNET -> List.of(NetworkCatalog.SD15_UNET, NetworkCatalog.SD15_CONTROLNET_CANNY, NetworkCatalog.SD15_VAE,
                    NetworkCatalog.CLIP_L_TEXT_ENCODER);
            case SDXL_TXT2IMG -> List.of(NetworkCatalog.SDXL_UNET, NetworkCatalog.SDXL_VAE, NetworkCatalog.CLIP_L_TEXT_ENCODER,
                    NetworkCatalog.SDXL_TEXT_ENCODER_2);
            case IF -> List.of(NetworkCatalog.IF_I_M_UNET, NetworkCatalog.IF_II_M_UNET, NetworkCatalog.X4_UNET,
                    NetworkCatalog.X4_VAE, NetworkCatalog.X4_TEXT_ENCODER);
        };
    }
}
