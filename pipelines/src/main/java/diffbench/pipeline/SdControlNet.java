package diffbench.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.pipeline.images.CannyEdges;
import diffbench.pipeline.images.ImageFiles;
import diffbench.pipeline.images.ImageTensors;
import diffbench.pipeline.images.TestImages;
import diffbench.runtime.Network;
import diffbench.schedulers.BuiltInScheduler;
import diffbench.schedulers.DenoisingSchedule;

import java.awt.image.BufferedImage;

/**
 * sd-controlnet: SD 1.5 with the canny ControlNet, PNDM 50 steps (51 calls of each network as the
 * benchmark counts them), conditioning scale 1.0. The condition is a Canny edge map of the input
 * image computed in Java (thresholds 100/200); the published benchmark fed the raw sketch, which
 * costs the networks the same. Each step the ControlNet's 12 down and 1 mid residuals go into the
 * UNet's {@code forward_with_control_args} (each residual a tensor argument, so cuda-graph mode can capture it).
 */
final class SdControlNet extends StableDiffusion15 {
    static final float CONDITIONING_SCALE = 1.0f;
    private final Network controlNet;
    private final BufferedImage condition;

    SdControlNet(PipelineSession session, PipelineOptions options) {
        super(session, options, NetworkCatalog.SD15_UNET, BuiltInScheduler.SD15);
        this.controlNet = session.load(NetworkCatalog.SD15_CONTROLNET_CANNY);
        BufferedImage source = options.image().map(f -> ImageFiles.readRgb(f, pixels, pixels))
                .orElseGet(() -> TestImages.builtIn(pixels, pixels));
        this.condition = CannyEdges.controlNetDefault().apply(source);
    }

    @Override
    NDArray denoise(NDManager call, NDArray text, CallClock clock) {
        scheduler.setTimesteps(session.spec.steps());
        int b = session.spec.batch();
        NDArray cond = PipelineSession.doubled(ImageTensors.toTensor(call, condition, b, ImageTensors.Range.ZERO_TO_ONE));
        NDArray scale = call.create(CONDITIONING_SCALE);
        NDArray latents = session.noise(call, b, 4, latentSize, latentSize).mul(scheduler.initNoiseSigma());
        return session.denoise(call, "", scheduler, DenoisingSchedule.full(scheduler), latents, (x, t, timestep, step) -> {
            NDArray in = scheduler.scaleModelInput(PipelineSession.doubled(x), t);
            // residuals stay in the networks' dtype: they go straight from one network to the other
            NDList residuals = session.runDenoiserInItsDtype(controlNet, in, timestep, text, cond, scale);
            NDList unetInputs = new NDList(in, timestep, text);
            unetInputs.addAll(residuals); // 12 down residuals, then the mid one: the method's tensor arguments
            NDArray method = step.create(0f);
            method.setName("module_method:forward_with_control_args");
            unetInputs.add(method);
            NDArray noise = session.runDenoiser(unet, unetInputs.toArray(new NDArray[0])).singletonOrThrow();
            return guidance.apply(noise);
        }, clock);
    }
}
