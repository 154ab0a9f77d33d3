package diffbench.models.controlnet;

import diffbench.models.ConfigReader;
import diffbench.nn.AttentionKernel;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmarked ControlNet (lllyasviel/sd-controlnet-canny, paired with the SD 1.5 UNet) and its
 * test-size twin (paired with {@code UNets.sd15Tiny}). Default input: 64x64 latents, 512x512
 * control image, 77 text tokens.
 */
public final class ControlNets {
    private static final Logger LOG = LoggerFactory.getLogger(ControlNets.class);
    /** The pipeline's latent sample (one row) and text length. */
    public static final long[] DEFAULT_SAMPLE = {1, 4, 64, 64};
    public static final int CONTEXT_TOKENS = 77;

    private ControlNets() {
    }

    public static ControlNetModel canny(AttentionKernel kernel) {
        return new ControlNetModel(ControlNetConfig.builtIn("canny"), kernel);
    }

    public static ControlNetModel cannyTiny(AttentionKernel kernel) {
        return new ControlNetModel(ControlNetConfig.builtIn("canny-tiny"), kernel);
    }

    public static long cannyParameterCount() {
        return canny(AttentionKernel.SDPA).parameterCount();
    }

    /** FLOPs of one forward of one row at the pipeline's default shape. */
    public static long cannyFlopsAtDefaultShape() {
        return canny(AttentionKernel.SDPA).flops(DEFAULT_SAMPLE, CONTEXT_TOKENS);
    }

    /** A ControlNet from a diffusers {@code config.json}; keys this project does not know are logged. */
    public static ControlNetModel fromConfig(Path configJson, AttentionKernel kernel) {
        ConfigReader.Parsed<ControlNetConfig> parsed = ControlNetConfig.read(configJson);
        if (!parsed.unknownKeys().isEmpty()) {
            LOG.warn(configJson + ": keys not known to diffbench, ignored: " + parsed.unknownKeys());
        }
        return new ControlNetModel(parsed.config(), kernel);
    }
}
