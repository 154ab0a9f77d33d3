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
import diffbench.schedulers.DenoisingSchedule;
import diffbench.schedulers.Scheduler;
import diffbench.schedulers.SchedulerConfigs;
import diffbench.schema.PipelineId;
import diffbench.schema.Resolutions;

import java.util.List;

/**
 * sdxl-txt2img (diffusers v0.19 defaults): 1024 px (128x128 latents), Euler 50 steps, guidance 5.0.
 * Text: the penultimate hidden states of CLIP-L and OpenCLIP bigG side by side (77 x 2048) and
 * bigG's pooled projection; the empty negative prompt is zeros with no encoder pass
 * (force_zeros_for_empty_prompt). Micro-conditioning time_ids = [H, W, 0, 0, H, W]. The VAE decodes
 * in fp32 (force_upcast), latents / 0.13025.
 */
final class SdxlTxt2Img implements BenchmarkPipeline {
    static final double GUIDANCE = 5.0;

    private final PipelineSession session;
    private final PipelineOptions options;
    private final PromptTokenizer tokenizer;
    private final PromptTokenizer tokenizer2;
    private final Network textEncoder;
    private final Network textEncoder2;
    private final Network unet;
    private final Network vae;
    private final Scheduler scheduler;
    private final ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(GUIDANCE);
    private final int pixels;

    SdxlTxt2Img(PipelineSession session, PipelineOptions options) {
        this.session = session;
        this.options = options;
        this.pixels = Resolutions.pixels(PipelineId.SDXL_TXT2IMG, session.spec.tiny());
        this.tokenizer = session.loader.weights()
                .<PromptTokenizer>map(dir -> ClipBpeTokenizer.load(dir.resolve("tokenizer")))
                .orElseGet(SyntheticTokenizer::clipL);
        this.tokenizer2 = session.loader.weights()
                .<PromptTokenizer>map(dir -> ClipBpeTokenizer.load(dir.resolve("tokenizer_2")))
                .orElseGet(SyntheticTokenizer::openClipBigG);
        this.textEncoder = session.load(NetworkCatalog.CLIP_L_TEXT_ENCODER);
        this.textEncoder2 = session.load(NetworkCatalog.SDXL_TEXT_ENCODER_2);
        this.unet = session.load(NetworkCatalog.SDXL_UNET);
        this.vae = session.loadFp32(NetworkCatalog.SDXL_VAE);
        this.scheduler = SchedulerConfigs.create(SchedulerConfigs.builtIn(BuiltInScheduler.SDXL).config(), options.counting());
    }

    @Override
    public CallResult call() {
        session.memory.reset();
        CallClock clock = new CallClock();
        int b = session.spec.batch();
        try (NDManager call = session.manager.newSubManager()) {
            NDList clipL = PipelineSession.run(textEncoder, tokenizer.encode(call, List.of(options.prompt())));
            NDList bigG = PipelineSession.run(textEncoder2, tokenizer2.encode(call, List.of(options.prompt())));
            NDArray states = penultimate(clipL).concat(penultimate(bigG), -1);
            NDArray pooled = bigG.get(1);
            NDArray text = states.zerosLike().repeat(0, b).concat(states.repeat(0, b), 0);
            NDArray textEmbeds = pooled.zerosLike().repeat(0, b).concat(pooled.repeat(0, b), 0);
            float px = pixels;
            NDArray timeIds = call.create(new float[] {px, px, 0, 0, px, px}).reshape(1, 6).repeat(0, 2L * b);

            scheduler.setTimesteps(session.spec.steps());
            int latent = pixels / 8;
            NDArray latents = session.noise(call, b, 4, latent, latent).mul(scheduler.initNoiseSigma());
            NDArray result = session.denoise(call, "", scheduler, DenoisingSchedule.full(scheduler), latents, (x, t, timestep, step) -> {
                NDArray in = scheduler.scaleModelInput(PipelineSession.doubled(x), t);
                NDArray noise = session.runDenoiser(unet, in, timestep, text, textEmbeds, timeIds).singletonOrThrow();
                return guidance.apply(noise);
            }, clock);
            NDArray images;
            try (NDArray scaled = result.div(AutoencoderKLConfig.sdxl().scalingFactor())) {
                images = PipelineSession.run(vae, scaled).singletonOrThrow().clip(-1, 1);
            }
            CallResult callResult = clock.finish(images, session.memory);
            session.save(images, "sdxl-txt2img"); // after the clock: saving (PNGs, output checks) is not part of the call
            result.close();
            return callResult;
        }
    }

    /** hidden_states[-2]: the output before the last layer, as SDXL conditions on it. */
    private static NDArray penultimate(NDList outputs) {
        return outputs.get(outputs.size() - 2);
    }

    @Override
    public List<String> notes() {
        return session.notes("prompt tokens: " + tokenizer.description() + "; " + tokenizer2.description());
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
