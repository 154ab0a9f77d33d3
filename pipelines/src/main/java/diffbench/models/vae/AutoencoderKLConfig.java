package diffbench.models.vae;

import com.google.gson.annotations.SerializedName;
import diffbench.models.ConfigReader;
import diffbench.nn.Activation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * diffusers' {@code AutoencoderKL} config.json. Missing keys take diffusers' defaults. The
 * scaling/shift factors, latents statistics and force_upcast are pipeline facts (how latents are
 * scaled, whether an fp16 VAE is upcast to decode); they do not change the module.
 */
public record AutoencoderKLConfig(
        @SerializedName("_class_name") String className,
        int inChannels,
        int outChannels,
        List<String> downBlockTypes,
        List<String> upBlockTypes,
        List<Integer> blockOutChannels,
        int layersPerBlock,
        String actFn,
        int latentChannels,
        int normNumGroups,
        int sampleSize,
        double scalingFactor,
        Double shiftFactor,
        List<Double> latentsMean,
        List<Double> latentsStd,
        boolean forceUpcast,
        boolean useQuantConv,
        boolean usePostQuantConv,
        boolean midBlockAddAttention) {

    public static final String DOWN_BLOCK = "DownEncoderBlock2D";
    public static final String UP_BLOCK = "UpDecoderBlock2D";

    /** diffusers' AutoencoderKL defaults for every key. */
    static final String DEFAULTS = """
            {"_class_name": "AutoencoderKL", "in_channels": 3, "out_channels": 3, "down_block_types": ["DownEncoderBlock2D"],
             "up_block_types": ["UpDecoderBlock2D"], "block_out_channels": [64], "layers_per_block": 1,
             "act_fn": "silu", "latent_channels": 4, "norm_num_groups": 32, "sample_size": 32,
             "scaling_factor": 0.18215, "shift_factor": null, "latents_mean": null, "latents_std": null,
             "force_upcast": true, "use_quant_conv": true, "use_post_quant_conv": true,
             "mid_block_add_attention": true}""";

    /** Keys that diffusers writes but that describe no part of the module. */
    static final Set<String> INERT = Set.of("_diffusers_version", "_name_or_path", "_use_default_values");

    public AutoencoderKLConfig {
        if (!className.equals("AutoencoderKL")) {
            throw new IllegalArgumentException("unsupported _class_name value '" + className + "': this builds AutoencoderKL");
        }
        downBlockTypes = List.copyOf(downBlockTypes);
        upBlockTypes = List.copyOf(upBlockTypes);
        blockOutChannels = List.copyOf(blockOutChannels);
        validate(downBlockTypes, upBlockTypes, blockOutChannels, normNumGroups, layersPerBlock);
        Activation.fromConfig(actFn);
    }

    private static void validate(List<String> down, List<String> up, List<Integer> channels, int groups, int layers) {
        for (String t : down) {
            if (!t.equals(DOWN_BLOCK)) {
                throw new IllegalArgumentException("unsupported down_block_types value '" + t + "': AutoencoderKL here has "
                        + DOWN_BLOCK + " only");
            }
        }
        for (String t : up) {
            if (!t.equals(UP_BLOCK)) {
                throw new IllegalArgumentException("unsupported up_block_types value '" + t + "': AutoencoderKL here has "
                        + UP_BLOCK + " only");
            }
        }
        if (down.size() != channels.size() || up.size() != channels.size()) {
            throw new IllegalArgumentException("block_out_channels has " + channels.size() + " entries, down_block_types "
                    + down.size() + ", up_block_types " + up.size() + ": they must match");
        }
        for (int c : channels) {
            if (groups < 1 || c % groups != 0) {
                throw new IllegalArgumentException("block_out_channels value " + c + " does not split into norm_num_groups "
                        + groups);
            }
        }
        if (layers < 1) {
            throw new IllegalArgumentException("layers_per_block must be at least 1, is " + layers);
        }
    }

    public Activation activation() {
        return Activation.fromConfig(actFn);
    }

    /** How many times smaller the latents are than the image (2 per downsampling level). */
    public int downscale() {
        return 1 << (blockOutChannels.size() - 1);
    }

    /** Parses a config.json; unknown keys come back with it. */
    public static ConfigReader.Parsed<AutoencoderKLConfig> read(Path configJson) {
        return ConfigReader.read(configJson, AutoencoderKLConfig::parse);
    }

    /** The record from the reader's keys (every key is one component). */
    public static AutoencoderKLConfig parse(ConfigReader r) {
        if (r.isNull("norm_num_groups")) { // bind would take the default; diffusers' blocks cannot be built without one
            throw ConfigReader.unsupported("norm_num_groups", "null", "a group count that divides every block_out_channels value");
        }
        return r.bind(AutoencoderKLConfig.class, DEFAULTS, INERT);
    }

    public static ConfigReader.Parsed<AutoencoderKLConfig> parse(String json, String source) {
        return new ConfigReader(json, source).parse(AutoencoderKLConfig::parse);
    }

    /** The config of runwayml/stable-diffusion-v1-5's vae. */
    public static AutoencoderKLConfig sd15() {
        return bundled("sd15");
    }

    /** stabilityai/stable-diffusion-xl-base-1.0's vae: the SD 1.5 architecture, scaling_factor 0.13025. */
    public static AutoencoderKLConfig sdxl() {
        return bundled("sdxl");
    }

    /** stabilityai/stable-diffusion-x4-upscaler's vae: three levels, latents a quarter of the image. */
    public static AutoencoderKLConfig x4() {
        return bundled("x4");
    }

    private static AutoencoderKLConfig bundled(String name) {
        return ConfigReader.builtIn("/diffbench/models/vae/" + name + ".json", AutoencoderKLConfig::parse);
    }

    /**
     * The same structure (levels, block types, attention, quant convs) at test size: widths 16, 32,
     * 32, ..., one resnet per encoder block (two per decoder block), 8 groups.
     */
    public AutoencoderKLConfig tiny() {
        List<Integer> channels = new ArrayList<>();
        for (int i = 0; i < blockOutChannels.size(); i++) {
            channels.add(i == 0 ? 16 : 32);
        }
        return new AutoencoderKLConfig(className, inChannels, outChannels, downBlockTypes, upBlockTypes, channels, 1, actFn,
                latentChannels, 8, 32, scalingFactor, shiftFactor, latentsMean, latentsStd, forceUpcast, useQuantConv,
                usePostQuantConv, midBlockAddAttention);
    }
}
