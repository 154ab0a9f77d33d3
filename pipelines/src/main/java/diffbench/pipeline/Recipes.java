package diffbench.pipeline;

import diffbench.models.clip.CLIPTextConfig;
import diffbench.models.clip.TextEncoders;
import diffbench.models.controlnet.ControlNets;
import diffbench.models.unet.UNets;
import diffbench.models.vae.AutoencoderKLConfig;
import diffbench.models.vae.Vaes;
import diffbench.nn.AttentionKernel;

/** The networks of the six pipelines, each with its diffusers component folder. */
final class Recipes {
    private final AttentionKernel k;

    Recipes(AttentionKernel kernel) {
        this.k = kernel;
    }

    NetworkRecipe unet(UNets.Variant v, String name) {
        return new NetworkRecipe(name, "unet", () -> v.build(k), () -> v.tiny(k), p -> UNets.fromConfig(p, k));
    }

    NetworkRecipe controlNetCanny() {
        return new NetworkRecipe("sd15-controlnet-canny", "controlnet", () -> ControlNets.canny(k),
                () -> ControlNets.cannyTiny(k), p -> ControlNets.fromConfig(p, k));
    }

    NetworkRecipe vae(String name, AutoencoderKLConfig config) {
        return new NetworkRecipe(name, "vae", () -> new diffbench.models.vae.AutoencoderKL(config, k),
                () -> Vaes.tiny(config, k), p -> Vaes.fromConfig(p, k));
    }

    NetworkRecipe textEncoder(String name, String component, CLIPTextConfig config) {
        return new NetworkRecipe(name, component, () -> new diffbench.models.clip.CLIPTextModel(config, k),
                () -> TextEncoders.tiny(config, k), p -> TextEncoders.fromConfig(p, k));
    }
}
