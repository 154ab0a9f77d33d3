package diffbench.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.models.vae.AutoencoderKLConfig;
import diffbench.pipeline.text.ClipBpeTokenizer;
import diffbench.pipeline.text.PromptTokenizer;
import diffbench.pipeline.text.SyntheticTokenizer;
import diffbench.runtime.CompileRecord;
import diffbench.runtime.Network;
import diffbench.schedulers.BuiltInScheduler;
import diffbench.schedulers.ClassifierFreeGuidance;
import diffbench.schedulers.Scheduler;
import diffbench.schedulers.SchedulerConfigs;
import diffbench.schema.Resolutions;

import java.util.List;

/**
 * What the four SD 1.5-family pipelines share (diffusers v0.17 defaults): CLIP-L prompt encoding
 * with an empty negative prompt, a UNet at 64x64 latents (512 px), guidance 7.5, and the VAE decode
 * of latents / 0.18215. Subclasses say how the latents start and what the UNet sees each step.
 */
abstract class StableDiffusion15 implements BenchmarkPipeline {
    static final double GUIDANCE = 7.5;

    final PipelineSession session;
    final PipelineOptions options;
    final PromptTokenizer tokenizer;
    final Network textEncoder;
    final Network unet;
    final Network vae;
    final Scheduler scheduler;
    final ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(GUIDANCE);
    final int pixels;
    final int latentSize;

    StableDiffusion15(PipelineSession session, PipelineOptions options, NetworkCatalog.Entry<?> unetNetwork,
                      BuiltInScheduler schedulerConfig) {
        this.session = session;
        this.options = options;
        this.pixels = Resolutions.pixels(session.spec.pipelineId(), session.spec.tiny());
        this.latentSize = pixels / 8;
        this.tokenizer = session.loader.weights()
                .<PromptTokenizer>map(dir -> ClipBpeTokenizer.load(dir.resolve("tokenizer")))
                .orElseGet(SyntheticTokenizer::clipL);
        this.textEncoder = session.load(NetworkCatalog.CLIP_L_TEXT_ENCODER);
        this.unet = session.load(unetNetwork);
        this.vae = session.load(NetworkCatalog.SD15_VAE);
        this.scheduler = SchedulerConfigs.create(SchedulerConfigs.builtIn(schedulerConfig).config(), options.counting());
    }

    @Override
    public final CallResult call() {
        session.memory.reset();
        CallClock clock = new CallClock();
        try (NDManager call = session.manager.newSubManager()) {
            NDArray text = TextConditioning.forBatch(
                    TextConditioning.encodePair(textEncoder, tokenizer, call, options.prompt()).get(0), session.spec.batch());
            NDArray latents = denoise(call, text, clock);
            NDArray images = decode(latents);
            CallResult result = clock.finish(images, session.memory);
            session.save(images, session.spec.pipelineId().id()); // after the clock: saving (PNGs, output checks) is not part of the call
            latents.close();
            return result;
        }
    }

    /** Prepares the latents, runs the denoising loop, returns the final latents. */
    abstract NDArray denoise(NDManager call, NDArray text, CallClock clock);

    /** latents / scaling factor through the VAE decoder: images (B, 3, H, W) in about [-1, 1]. */
    NDArray decode(NDArray latents) {
        try (NDArray scaled = latents.div(AutoencoderKLConfig.sd15().scalingFactor())) {
            return PipelineSession.run(vae, scaled).singletonOrThrow().clip(-1, 1);
        }
    }

    /** VAE-encoded image latents (the posterior's mean plus its noise) x scaling factor, as img2img and inpaint prepare them. */
    NDArray encodeImage(NDArray image) {
        NDArray method = image.getManager().create(0f);
        method.setName("module_method:encode");
        NDList moments = PipelineSession.run(vae, image, method);
        NDArray mean = moments.get(0);
        NDArray std = moments.get(1).mul(0.5).exp();
        NDArray sample = mean.add(std.mul(session.noise(image.getManager(), mean.getShape().getShape())));
        return sample.mul(AutoencoderKLConfig.sd15().scalingFactor());
    }

    /** The UNet's guided noise prediction for the usual inputs (sample doubled and scaled by the scheduler). */
    NDArray guidedNoise(NDArray unetInput, NDArray timestep, NDArray text) {
        NDArray noise = session.runDenoiser(unet, unetInput, timestep, text).singletonOrThrow();
        return guidance.apply(noise);
    }

    @Override
    public List<String> notes() {
        return session.notes("prompt tokens: " + tokenizer.description());
    }

    @Override
    public CompileRecord compileRecord() {
        return session.compileRecord();
    }

    @Override
    public void close() {
        guidance.close();
        scheduler.close();
        session.close();
    }
}
