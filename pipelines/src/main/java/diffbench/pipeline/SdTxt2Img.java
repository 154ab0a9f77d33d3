package diffbench.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.schedulers.BuiltInScheduler;
import diffbench.schedulers.DenoisingSchedule;

/** sd-txt2img: SD 1.5, PNDM 50 steps (51 UNet calls as the benchmark counts), latents from noise. */
final class SdTxt2Img extends StableDiffusion15 {

    SdTxt2Img(PipelineSession session, PipelineOptions options) {
        super(session, options, NetworkCatalog.SD15_UNET, BuiltInScheduler.SD15);
    }

    @Override
    NDArray denoise(NDManager call, NDArray text, CallClock clock) {
        scheduler.setTimesteps(session.spec.steps());
        int b = session.spec.batch();
        NDArray latents = session.noise(call, b, 4, latentSize, latentSize).mul(scheduler.initNoiseSigma());
        return session.denoise(call, "", scheduler, DenoisingSchedule.full(scheduler), latents,
                (x, t, timestep, step) -> guidedNoise(scheduler.scaleModelInput(PipelineSession.doubled(x), t), timestep, text),
                clock);
    }
}
