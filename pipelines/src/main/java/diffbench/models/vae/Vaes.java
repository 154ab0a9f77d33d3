package diffbench.models.vae;

import diffbench.models.ConfigReader;
import diffbench.nn.AttentionKernel;

import java.nio.file.Path;

/** The VAEs of the benchmarked pipelines, their tiny test versions, and any AutoencoderKL config.json. */
public final class Vaes {
    private Vaes() {
    }

    /** SD 1.5 (83,653,863 parameters); decodes 64x64 latents to 512x512 in its pipeline. */
    public static AutoencoderKL sd15(AttentionKernel kernel) {
        return new AutoencoderKL(AutoencoderKLConfig.sd15(), kernel);
    }

    /** SDXL base (same architecture as SD 1.5, other weights and scaling_factor); 128x128 latents → 1024x1024. */
    public static AutoencoderKL sdxl(AttentionKernel kernel) {
        return new AutoencoderKL(AutoencoderKLConfig.sdxl(), kernel);
    }

    /** The x4 upscaler's (55,325,927 parameters): latents a quarter of the image. */
    public static AutoencoderKL x4(AttentionKernel kernel) {
        return new AutoencoderKL(AutoencoderKLConfig.x4(), kernel);
    }

    /** The test-size version of {@code full}'s structure (see {@link AutoencoderKLConfig#tiny()}). */
    public static AutoencoderKL tiny(AutoencoderKLConfig full, AttentionKernel kernel) {
        return new AutoencoderKL(full.tiny(), kernel);
    }

    /** A VAE from a diffusers {@code vae/config.json}; unknown keys are kept on the result. */
    public static AutoencoderKL fromConfig(Path configJson, AttentionKernel kernel) {
        ConfigReader.Parsed<AutoencoderKLConfig> p = AutoencoderKLConfig.read(configJson);
        return new AutoencoderKL(p.config(), kernel, p.unknownKeys());
    }
}
