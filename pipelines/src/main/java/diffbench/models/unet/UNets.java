package diffbench.models.unet;

import diffbench.nn.AttentionKernel;

import diffbench.models.ConfigReader;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmarked UNets and their test-size twins. Each {@link Variant} knows its config (a
 * config.json built into the project), the pipeline's default input shape, and from those its
 * parameter count and FLOPs per forward. The roots are {@code Layer}s: emit with
 * {@code root.emit(weights, storageType)} and write with {@code ArchiveWriter.write}.
 *
 * <p>The IF-I-M and IF-II-M configs are reconstructed (no copy of their config.json was found:
 * the IF-I-XL / IF-II-L configs with the M widths reported by one third-party audit;
 * docs/architectures.md §4); a real config.json read through {@link #fromConfig} corrects them.
 */
public final class UNets {
    private static final Logger LOG = LoggerFactory.getLogger(UNets.class);

    private UNets() {
    }

    /** A benchmarked UNet: its config resource and the pipeline's default input. */
    public enum Variant {
        /** runwayml/stable-diffusion-v1-5: 64x64 latents, CLIP-L text (77 x 768). */
        SD15("sd15", 64, 77),
        /** runwayml/stable-diffusion-inpainting: SD 1.5 with 9 input channels. */
        INPAINT("inpaint", 64, 77),
        /** stabilityai/stable-diffusion-xl-base-1.0: 128x128 latents, 77 x 2048 text, text_embeds, time_ids. */
        SDXL("sdxl", 128, 77),
        /** DeepFloyd/IF-I-M-v1.0 (reconstructed config): 64x64 pixels, 77 x 4096 T5 states. */
        IF_I_M("if_i_m", 64, 77),
        /** DeepFloyd/IF-II-M-v1.0 (reconstructed config): 256x256 pixels, 77 x 4096 T5 states, noise level. */
        IF_II_M("if_ii_m", 256, 77),
        /** stabilityai/stable-diffusion-x4-upscaler: 128x128 latents of 7 channels, 77 x 1024 text, noise level. */
        X4("x4", 128, 77);

        private final String resource;
        private final int defaultSize;
        private final int contextTokens;

        Variant(String resource, int defaultSize, int contextTokens) {
            this.resource = resource;
            this.defaultSize = defaultSize;
            this.contextTokens = contextTokens;
        }

        public UNet2DConditionConfig config() {
            return UNet2DConditionConfig.builtIn(resource);
        }

        public UNet2DConditionConfig tinyConfig() {
            return UNet2DConditionConfig.builtIn(resource + "-tiny");
        }

        public UNet2DConditionModel build(AttentionKernel kernel) {
            return new UNet2DConditionModel(config(), kernel);
        }

        public UNet2DConditionModel tiny(AttentionKernel kernel) {
            return new UNet2DConditionModel(tinyConfig(), kernel);
        }

        /** The sample shape of one pipeline row (batch 1) at the pipeline's default resolution. */
        public long[] defaultSampleShape() {
            return new long[] {1, config().inChannels(), defaultSize, defaultSize};
        }

        public int contextTokens() {
            return contextTokens;
        }

        public long parameterCount() {
            return build(AttentionKernel.SDPA).parameterCount();
        }

        /** FLOPs of one forward of one row (batch 1) at the default shape; CFG runs two rows. */
        public long flopsAtDefaultShape() {
            return build(AttentionKernel.SDPA).flops(defaultSampleShape(), contextTokens);
        }
    }

    public static UNet2DConditionModel sd15(AttentionKernel kernel) {
        return Variant.SD15.build(kernel);
    }

    public static UNet2DConditionModel sd15Tiny(AttentionKernel kernel) {
        return Variant.SD15.tiny(kernel);
    }

    public static UNet2DConditionModel inpaint(AttentionKernel kernel) {
        return Variant.INPAINT.build(kernel);
    }

    public static UNet2DConditionModel inpaintTiny(AttentionKernel kernel) {
        return Variant.INPAINT.tiny(kernel);
    }

    public static UNet2DConditionModel sdxl(AttentionKernel kernel) {
        return Variant.SDXL.build(kernel);
    }

    public static UNet2DConditionModel sdxlTiny(AttentionKernel kernel) {
        return Variant.SDXL.tiny(kernel);
    }

    public static UNet2DConditionModel ifIM(AttentionKernel kernel) {
        return Variant.IF_I_M.build(kernel);
    }

    public static UNet2DConditionModel ifIMTiny(AttentionKernel kernel) {
        return Variant.IF_I_M.tiny(kernel);
    }

    public static UNet2DConditionModel ifIIM(AttentionKernel kernel) {
        return Variant.IF_II_M.build(kernel);
    }

    public static UNet2DConditionModel ifIIMTiny(AttentionKernel kernel) {
        return Variant.IF_II_M.tiny(kernel);
    }

    public static UNet2DConditionModel x4(AttentionKernel kernel) {
        return Variant.X4.build(kernel);
    }

    public static UNet2DConditionModel x4Tiny(AttentionKernel kernel) {
        return Variant.X4.tiny(kernel);
    }

    /** A UNet from a diffusers {@code unet/config.json}; keys this project does not know are logged. */
    public static UNet2DConditionModel fromConfig(Path configJson, AttentionKernel kernel) {
        ConfigReader.Parsed<UNet2DConditionConfig> parsed = UNet2DConditionConfig.read(configJson);
        if (!parsed.unknownKeys().isEmpty()) {
            LOG.warn(configJson + ": keys not known to diffbench, ignored: " + parsed.unknownKeys());
        }
        return new UNet2DConditionModel(parsed.config(), kernel);
    }
}
