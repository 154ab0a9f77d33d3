package diffbench.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.pipeline.images.ImageFiles;
import diffbench.pipeline.images.ImageTensors;
import diffbench.pipeline.images.TestImages;
import diffbench.schedulers.BuiltInScheduler;
import diffbench.schedulers.DenoisingSchedule;

import java.awt.image.BufferedImage;

/**
 * sd-img2img: SD 1.5, PNDM 50 steps at strength 0.8: the image's latents are noised to the first
 * kept timestep (t=801, 41 UNet calls as the benchmark counts them), then denoised.
 */
final class SdImg2Img extends StableDiffusion15 {
    static final double STRENGTH = 0.8;
    private final BufferedImage image;

    SdImg2Img(PipelineSession session, PipelineOptions options) {
        super(session, options, NetworkCatalog.SD15_UNET, BuiltInScheduler.SD15);
        this.image = options.image().map(f -> ImageFiles.readRgb(f, pixels, pixels))
                .orElseGet(() -> TestImages.builtIn(pixels, pixels));
    }

    @Override
    NDArray denoise(NDManager call, NDArray text, CallClock clock) {
        scheduler.setTimesteps(session.spec.steps());
        DenoisingSchedule schedule = DenoisingSchedule.forStrength(scheduler, STRENGTH);
        int b = session.spec.batch();
        NDArray pixelsIn = ImageTensors.toTensor(call, image, b, ImageTensors.Range.MINUS_ONE_TO_ONE);
        NDArray initLatents = encodeImage(pixelsIn);
        NDArray noise = session.noise(call, initLatents.getShape().getShape());
        NDArray latents = scheduler.addNoise(initLatents, noise, schedule.firstTimestep());
        return session.denoise(call, "", scheduler, schedule, latents,
                (x, t, timestep, step) -> guidedNoise(scheduler.scaleModelInput(PipelineSession.doubled(x), t), timestep, text),
                clock);
    }
}
