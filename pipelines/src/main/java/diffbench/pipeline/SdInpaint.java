package diffbench.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.pipeline.images.ImageFiles;
import diffbench.pipeline.images.ImageTensors;
import diffbench.pipeline.images.InpaintingMask;
import diffbench.pipeline.images.TestImages;
import diffbench.schedulers.BuiltInScheduler;
import diffbench.schedulers.DenoisingSchedule;

import java.awt.image.BufferedImage;

/**
 * sd-inpaint: the inpainting UNet (9 input channels) with the checkpoint's DDIM scheduler, 50 steps
 * from pure noise (strength 1); each step the UNet sees [scaled latents, mask, masked-image latents].
 */
final class SdInpaint extends StableDiffusion15 {
    private final BufferedImage image;
    private final BufferedImage mask;

    SdInpaint(PipelineSession session, PipelineOptions options) {
        super(session, options, NetworkCatalog.SD_INPAINT_UNET, BuiltInScheduler.SD_INPAINTING);
        this.image = options.image().map(f -> ImageFiles.readRgb(f, pixels, pixels))
                .orElseGet(() -> TestImages.builtIn(pixels, pixels));
        this.mask = options.mask().map(f -> InpaintingMask.read(f, pixels, pixels))
                .orElseGet(() -> InpaintingMask.builtIn(pixels, pixels));
    }

    @Override
    NDArray denoise(NDManager call, NDArray text, CallClock clock) {
        scheduler.setTimesteps(session.spec.steps());
        int b = session.spec.batch();
        NDArray imageIn = ImageTensors.toTensor(call, image, b, ImageTensors.Range.MINUS_ONE_TO_ONE);
        NDArray maskFull = InpaintingMask.toTensor(call, mask, b);
        NDArray maskedLatents = PipelineSession.doubled(encodeImage(InpaintingMask.maskedImage(imageIn, maskFull)));
        NDArray maskLatent = PipelineSession.doubled(InpaintingMask.toLatentTensor(call, mask, b, latentSize, latentSize));
        NDArray latents = session.noise(call, b, 4, latentSize, latentSize).mul(scheduler.initNoiseSigma());
        return session.denoise(call, "", scheduler, DenoisingSchedule.full(scheduler), latents, (x, t, timestep, step) -> {
            NDArray scaled = scheduler.scaleModelInput(PipelineSession.doubled(x), t);
            NDArray in = NDArrays.concat(new NDList(scaled, maskLatent, maskedLatents), 1);
            return guidedNoise(in, timestep, text);
        }, clock);
    }
}
