package diffbench.models.catalog;

import diffbench.models.ConfigReader;
import diffbench.models.clip.CLIPTextConfig;
import diffbench.models.clip.CLIPTextModel;
import diffbench.models.controlnet.ControlNetConfig;
import diffbench.models.controlnet.ControlNetModel;
import diffbench.models.unet.UNet2DConditionConfig;
import diffbench.models.unet.UNet2DConditionModel;
import diffbench.models.vae.AutoencoderKL;
import diffbench.models.vae.AutoencoderKLConfig;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Layer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A network built from any diffusers / transformers {@code config.json} of a class this project
 * implements: the class comes from {@code _class_name} (diffusers) or {@code architectures}
 * (transformers), the architecture from the other keys. The keys nothing reads come back with it.
 */
public record ConfiguredNetwork(NetworkClass networkClass, Layer network, List<String> unknownKeys) {

    /** The model classes a config.json may name. */
    public enum NetworkClass {
        UNET("UNet2DConditionModel"),
        CONTROLNET("ControlNetModel"),
        VAE("AutoencoderKL"),
        TEXT_ENCODER("CLIPTextModel"),
        TEXT_ENCODER_WITH_PROJECTION("CLIPTextModelWithProjection");

        private final String className;

        NetworkClass(String className) {
            this.className = className;
        }

        public String className() {
            return className;
        }
    }

    public ConfiguredNetwork {
        unknownKeys = List.copyOf(unknownKeys);
    }

    public static ConfiguredNetwork read(Path configJson, AttentionKernel kernel) {
        ConfigReader r = ConfigReader.of(configJson);
        NetworkClass c = classOf(r);
        return switch (c) {
            case UNET -> {
                ConfigReader.Parsed<UNet2DConditionConfig> p = r.parse(UNet2DConditionConfig::parse);
                yield new ConfiguredNetwork(c, new UNet2DConditionModel(p.config(), kernel), p.unknownKeys());
            }
            case CONTROLNET -> {
                ConfigReader.Parsed<ControlNetConfig> p = r.parse(ControlNetConfig::parse);
                yield new ConfiguredNetwork(c, new ControlNetModel(p.config(), kernel), p.unknownKeys());
            }
            case VAE -> {
                ConfigReader.Parsed<AutoencoderKLConfig> p = r.parse(AutoencoderKLConfig::parse);
                yield new ConfiguredNetwork(c, new AutoencoderKL(p.config(), kernel), p.unknownKeys());
            }
            case TEXT_ENCODER, TEXT_ENCODER_WITH_PROJECTION -> {
                ConfigReader.Parsed<CLIPTextConfig> p = r.parse(CLIPTextConfig::parse);
                yield new ConfiguredNetwork(c, new CLIPTextModel(p.config(), kernel), p.unknownKeys());
            }
        };
    }

    private static NetworkClass classOf(ConfigReader r) {
        String named = r.stringOrNull("_class_name");
        if (named == null) {
            List<String> architectures = r.strings("architectures", List.of());
            named = architectures.size() == 1 ? architectures.get(0) : null;
        }
        if (named == null) {
            throw new IllegalArgumentException(r.source() + " names no model class: expected \"_class_name\" (diffusers) or "
                    + "\"architectures\" (transformers)");
        }
        for (NetworkClass c : NetworkClass.values()) {
            if (c.className.equals(named)) {
                return c;
            }
        }
        throw new IllegalArgumentException(r.source() + ": unsupported model class " + named + " (supported: "
                + Arrays.stream(NetworkClass.values()).map(NetworkClass::className).collect(Collectors.joining(", ")) + ")");
    }
}
