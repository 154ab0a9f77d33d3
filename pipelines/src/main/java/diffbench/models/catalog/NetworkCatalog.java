package diffbench.models.catalog;

import diffbench.models.clip.CLIPTextConfig;
import diffbench.models.clip.CLIPTextModel;
import diffbench.models.clip.TextEncoders;
import diffbench.models.controlnet.ControlNetModel;
import diffbench.models.controlnet.ControlNets;
import diffbench.models.unet.UNet2DConditionConfig;
import diffbench.models.unet.UNet2DConditionModel;
import diffbench.models.unet.UNetBase;
import diffbench.models.unet.UNets;
import diffbench.models.vae.AutoencoderKL;
import diffbench.models.vae.AutoencoderKLConfig;
import diffbench.models.vae.Vaes;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Layer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Every network the six pipelines benchmark, by a stable id ({@code sd15-unet}, ...): its diffusers
 * component folder, how to build it (full size, tiny, or from a config.json), and its size and cost
 * at the pipeline's default shape. Sizes come from shapes alone (nothing is materialised).
 *
 * <p>Build: {@code NetworkCatalog.SD15_UNET.build(AttentionKernel.SDPA)} (typed), then
 * {@code root.emit(weights, storageType)} and {@code ArchiveWriter.write}.
 */
public final class NetworkCatalog {

    /**
     * One benchmarked network.
     *
     * @param component the pipeline folder's subfolder holding its config.json and weights
     * @param defaultInput the shape {@link #flopsAtDefaultShape} counts, in words
     * @param reconstructed whether the built-in config is reconstructed rather than copied from the
     *                      checkpoint (IF-I-M, IF-II-M): a real config.json read by {@link #fromConfig} corrects it
     */
    public record Entry<T extends Layer>(String id, String component, Class<T> type, String checkpoint,
                                         Function<AttentionKernel, T> full, Function<AttentionKernel, T> tinyBuilder,
                                         ToLongFunction<T> defaultFlops, String defaultInput, boolean reconstructed) {

        /** The full-size network with the benchmarked config. */
        public T build(AttentionKernel kernel) {
            return full.apply(kernel);
        }

        /** The same structure at test size. */
        public T tiny(AttentionKernel kernel) {
            return tinyBuilder.apply(kernel);
        }

        /** {@link #tiny} or {@link #build}. */
        public T build(AttentionKernel kernel, boolean tinyConfig) {
            return tinyConfig ? tiny(kernel) : build(kernel);
        }

        /** The network a diffusers {@code config.json} describes; it must be of this entry's class. */
        public ConfiguredNetwork fromConfig(Path configJson, AttentionKernel kernel) {
            ConfiguredNetwork c = ConfiguredNetwork.read(configJson, kernel);
            if (!type.isInstance(c.network())) {
                throw new IllegalArgumentException(configJson + " describes a " + c.networkClass().className()
                        + ", not the " + type.getSimpleName() + " that " + id + " is");
            }
            // one class serves several checkpoints (SD 1.5's UNet and SDXL's): an archive labelled with
            // this id must have its kind of network, at whatever size the folder gives
            if (c.network() instanceof UNetBase found && build(kernel) instanceof UNetBase expected
                    && !unetKind(found.config()).equals(unetKind(expected.config()))) {
                throw new IllegalArgumentException(configJson + " describes a UNet with " + unetKind(found.config())
                        + ", not the " + id + " (" + unetKind(expected.config()) + "): give the " + id
                        + " checkpoint's folder, or the --model id of this one (`diffbench models`)");
            }
            return c;
        }

        public long parameterCount() {
            return build(AttentionKernel.SDPA).parameterCount();
        }

        /** Bytes of the weights stored as fp16. */
        public long fp16Bytes() {
            return 2 * parameterCount();
        }

        /** FLOPs of one forward of one row (batch 1) at {@link #defaultInput} (2 per multiply-accumulate). */
        public long flopsAtDefaultShape() {
            return defaultFlops.applyAsLong(build(AttentionKernel.SDPA));
        }
    }

    /** What tells the UNets of the catalog apart whatever their size: their inputs, outputs and extra conditioning. */
    private static String unetKind(UNet2DConditionConfig c) {
        return "in_channels " + c.inChannels() + ", out_channels " + c.outChannels() + ", addition_embed_type "
                + c.additionEmbedType() + ", class_embed_type " + c.classEmbedType();
    }

    public static final Entry<UNet2DConditionModel> SD15_UNET = unet("sd15-unet", UNets.Variant.SD15,
            "runwayml/stable-diffusion-v1-5");
    public static final Entry<UNet2DConditionModel> SD_INPAINT_UNET = unet("sd-inpaint-unet", UNets.Variant.INPAINT,
            "runwayml/stable-diffusion-inpainting");
    public static final Entry<ControlNetModel> SD15_CONTROLNET_CANNY = new Entry<>("sd15-controlnet-canny", "controlnet",
            ControlNetModel.class, "lllyasviel/sd-controlnet-canny", ControlNets::canny, ControlNets::cannyTiny,
            c -> c.flops(ControlNets.DEFAULT_SAMPLE, ControlNets.CONTEXT_TOKENS),
            "sample " + dims(ControlNets.DEFAULT_SAMPLE) + ", controlnet_cond 1x3x512x512, " + ControlNets.CONTEXT_TOKENS + " tokens",
            false);
    public static final Entry<AutoencoderKL> SD15_VAE = vae("sd15-vae", AutoencoderKLConfig.sd15(),
            "runwayml/stable-diffusion-v1-5", 64);
    public static final Entry<CLIPTextModel> CLIP_L_TEXT_ENCODER = text("clip-l-text-encoder", "text_encoder",
            CLIPTextConfig.clipL(), "openai/clip-vit-large-patch14 (SD 1.5 and SDXL text_encoder)");
    public static final Entry<UNet2DConditionModel> SDXL_UNET = unet("sdxl-unet", UNets.Variant.SDXL,
            "stabilityai/stable-diffusion-xl-base-1.0");
    public static final Entry<AutoencoderKL> SDXL_VAE = vae("sdxl-vae", AutoencoderKLConfig.sdxl(),
            "stabilityai/stable-diffusion-xl-base-1.0", 128);
    public static final Entry<CLIPTextModel> SDXL_TEXT_ENCODER_2 = text("sdxl-text-encoder-2", "text_encoder_2",
            CLIPTextConfig.openClipBigG(), "stabilityai/stable-diffusion-xl-base-1.0 (OpenCLIP bigG)");
    public static final Entry<UNet2DConditionModel> IF_I_M_UNET = unet("if-i-m-unet", UNets.Variant.IF_I_M,
            "DeepFloyd/IF-I-M-v1.0");
    public static final Entry<UNet2DConditionModel> IF_II_M_UNET = unet("if-ii-m-unet", UNets.Variant.IF_II_M,
            "DeepFloyd/IF-II-M-v1.0");
    public static final Entry<UNet2DConditionModel> X4_UNET = unet("x4-unet", UNets.Variant.X4,
            "stabilityai/stable-diffusion-x4-upscaler");
    public static final Entry<AutoencoderKL> X4_VAE = vae("x4-vae", AutoencoderKLConfig.x4(),
            "stabilityai/stable-diffusion-x4-upscaler", 128);
    public static final Entry<CLIPTextModel> X4_TEXT_ENCODER = text("x4-text-encoder", "text_encoder",
            CLIPTextConfig.openClipH23(), "stabilityai/stable-diffusion-x4-upscaler (OpenCLIP ViT-H, 23 layers)");

    /** Every entry, in the order {@code diffbench models} lists them. */
    public static final List<Entry<?>> ALL = List.of(SD15_UNET, SD_INPAINT_UNET, SD15_CONTROLNET_CANNY, SD15_VAE,
            CLIP_L_TEXT_ENCODER, SDXL_UNET, SDXL_VAE, SDXL_TEXT_ENCODER_2, IF_I_M_UNET, IF_II_M_UNET, X4_UNET, X4_VAE,
            X4_TEXT_ENCODER);

    private NetworkCatalog() {
    }

    /** The entry with this id; an unknown id is an error listing the known ones. */
    public static Entry<?> byId(String id) {
        return ALL.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown model '" + id + "': use one of " + ALL.stream().map(Entry::id).collect(Collectors.joining(", "))));
    }

    private static Entry<UNet2DConditionModel> unet(String id, UNets.Variant v, String checkpoint) {
        long[] sample = v.defaultSampleShape();
        return new Entry<>(id, "unet", UNet2DConditionModel.class, checkpoint, v::build, v::tiny,
                u -> u.flops(sample, v.contextTokens()), "sample " + dims(sample) + ", " + v.contextTokens() + " tokens",
                v == UNets.Variant.IF_I_M || v == UNets.Variant.IF_II_M);
    }

    /** Cost counted for decode (what every pipeline runs; img2img and inpainting also encode once). */
    private static Entry<AutoencoderKL> vae(String id, AutoencoderKLConfig config, String checkpoint, int latentSize) {
        long[] z = {1, config.latentChannels(), latentSize, latentSize};
        return new Entry<>(id, "vae", AutoencoderKL.class, checkpoint, k -> new AutoencoderKL(config, k),
                k -> Vaes.tiny(config, k), v -> v.decodeFlops(z),
                "decode z " + dims(z) + " to " + dims(new long[] {1, config.outChannels(), latentSize * config.downscale(),
                        latentSize * config.downscale()}), false);
    }

    private static Entry<CLIPTextModel> text(String id, String component, CLIPTextConfig config, String checkpoint) {
        return new Entry<>(id, component, CLIPTextModel.class, checkpoint, k -> new CLIPTextModel(config, k),
                k -> TextEncoders.tiny(config, k), t -> t.flops(1, TextEncoders.TOKENS),
                "input_ids 1x" + TextEncoders.TOKENS, false);
    }

    private static String dims(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
}
