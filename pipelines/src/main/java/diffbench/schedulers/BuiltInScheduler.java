package diffbench.schedulers;

/**
 * The scheduler configs of the benchmarked checkpoints (copied from their
 * {@code scheduler_config.json}; docs/architectures.md §2 and §5).
 */
public enum BuiltInScheduler {
    /** runwayml/stable-diffusion-v1-5: PNDM (txt2img, img2img, ControlNet rows). */
    SD15("sd15-pndm.json"),
    /** runwayml/stable-diffusion-inpainting: DDIM. */
    SD_INPAINTING("sd-inpainting-ddim.json"),
    /** stabilityai/stable-diffusion-xl-base-1.0: Euler discrete, leading spacing. */
    SDXL("sdxl-euler.json"),
    /** DeepFloyd IF stage I: DDPM, learned_range variance, dynamic thresholding up to 1.5. */
    IF_STAGE_I("if-stage1-ddpm.json"),
    /** DeepFloyd IF stage II: as stage I with sample_max_value 1.0. */
    IF_STAGE_II("if-stage2-ddpm.json"),
    /** DeepFloyd IF stage II image_noising_scheduler: only add_noise is used (noise level 250). */
    IF_STAGE_II_IMAGE_NOISING("if-stage2-image-noising-ddpm.json"),
    /** stabilityai/stable-diffusion-x4-upscaler: DDIM, v-prediction. */
    X4_UPSCALER("x4-upscaler-ddim.json"),
    /** stabilityai/stable-diffusion-x4-upscaler low_res_scheduler: DDPM, only add_noise (noise level 100). */
    X4_UPSCALER_LOW_RES("x4-upscaler-low-res-ddpm.json");

    private final String resource;

    BuiltInScheduler(String resource) {
        this.resource = resource;
    }

    public String resource() {
        return resource;
    }
}
