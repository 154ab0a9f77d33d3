package diffbench.models.controlnet;

import diffbench.models.ConfigReader;
import diffbench.models.unet.UNet2DConditionConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A diffusers {@code ControlNetModel} config.json: the UNet keys its encoder half shares with
 * UNet2DConditionModel (read by {@link UNet2DConditionConfig}'s parser, so both are built the same
 * way; the up-block keys a ControlNet lacks keep their unused defaults) plus its own keys.
 */
public record ControlNetConfig(
        UNet2DConditionConfig unet,
        int conditioningChannels,
        List<Integer> conditioningEmbeddingOutChannels,
        String controlnetConditioningChannelOrder) {

    public ControlNetConfig {
        conditioningEmbeddingOutChannels = List.copyOf(conditioningEmbeddingOutChannels);
    }

    public static ConfigReader.Parsed<ControlNetConfig> parse(String json) {
        return new ConfigReader(json, "config.json").parse(ControlNetConfig::parse);
    }

    public static ControlNetConfig parse(ConfigReader r) {
        UNet2DConditionConfig unet = UNet2DConditionConfig.parseEncoder(r);
        String order = r.stringOr("controlnet_conditioning_channel_order", "rgb");
        if (!order.equals("rgb") && !order.equals("bgr")) {
            throw ConfigReader.unsupported("controlnet_conditioning_channel_order", "\"" + order + "\"", "\"rgb\", \"bgr\"");
        }
        if (r.boolOr("global_pool_conditions", false)) {
            throw ConfigReader.unsupported("global_pool_conditions", "true", "false");
        }
        ControlNetConfig c = new ControlNetConfig(unet,
                r.intOr("conditioning_channels", 3),
                r.ints("conditioning_embedding_out_channels", List.of(16, 32, 96, 256)),
                order);
        if (c.conditioningEmbeddingOutChannels.isEmpty()) {
            throw new IllegalArgumentException("config.json: conditioning_embedding_out_channels is empty");
        }
        return c;
    }

    public static ConfigReader.Parsed<ControlNetConfig> read(Path configJson) {
        return ConfigReader.read(configJson, ControlNetConfig::parse);
    }

    /** A config built into the project, by resource name under {@code diffbench/models/controlnet/}. */
    public static ControlNetConfig builtIn(String name) {
        return ConfigReader.builtIn("/diffbench/models/controlnet/" + name + ".json", ControlNetConfig::parse);
    }
}
