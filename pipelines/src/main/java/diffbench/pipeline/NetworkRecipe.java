package diffbench.pipeline;

import diffbench.nn.Layer;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a pipeline gets one of its networks: the diffusers component folder it reads real weights
 * from, and the architecture built in (full or tiny) or read from that folder's config.json.
 *
 * @param name file-name stem of its archive, e.g. {@code sd15-unet}
 * @param component diffusers folder name: unet, vae, text_encoder, text_encoder_2, controlnet
 */
public record NetworkRecipe(String name, String component, Supplier<Layer> full, Supplier<Layer> tiny,
                            Function<Path, Layer> fromConfig) {
}
