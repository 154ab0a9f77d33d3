package diffbench.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.models.unet.UNets;
import diffbench.models.vae.AutoencoderKLConfig;
import diffbench.nn.AttentionKernel;
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
import diffbench.schedulers.StepCounting;
import diffbench.schema.Resolutions;

import java.util.List;
import java.util.Map;

/**
 * The IF cascade as diffusers' benchmark runs it, each stage timed on its own:
 * <ol>
 * <li>stage I: IF-I-M at 64 px, DDPM 100 steps, guidance 7.0 on the noise half of the learned
 * variance output; text = random prompt embeddings (1, 2, 4096), no T5 pass;</li>
 * <li>stage II: IF-II-M at 256 px, DDPM 50 steps, guidance 4.0; stage I's image upsampled
 * (bilinear, align_corners) and noised at level 250 is concatenated to the sample each step;</li>
 * <li>stage III: the x4 upscaler fed stage I's 64 px image (noise level 100), DDIM 75 steps,
 * v-prediction, guidance 9.0, OpenCLIP-H text, the VAE decoding in fp32 to 256 px.</li>
 * </ol>
 * At batch > 1 only stage I runs at that batch; stages II and III upscale the first image at batch
 * 1, as the published benchmark did. Steps are given in SD units: each stage scales its default
 * (100 / 50 / 75) by steps / 50, so the default 50 runs the published counts.
 *
 * <p>Real weights come from three checkpoints: the weights folder holds {@code stage_1/} (IF-I-M),
 * {@code stage_2/} (IF-II-M) and {@code stage_3/} (the x4 upscaler), each a diffusers pipeline folder.
 */
final class IfCascade implements BenchmarkPipeline {
    /** diffusers' default steps of stages I, II and III; a cell's steps scale them by steps / 50. */
    static final int STAGE_I_STEPS = 100;
    static final int STAGE_II_STEPS = 50;
    static final int STAGE_III_STEPS = 75;
    static final int STAGE2_NOISE_LEVEL = 250;
    static final int STAGE3_NOISE_LEVEL = 100;
    /** Pipeline folders of the three checkpoints inside a real-weights folder. */
    static final String STAGE_1 = "stage_1";
    static final String STAGE_2 = "stage_2";
    static final String STAGE_3 = "stage_3";

    private final PipelineSession session;
    private final PipelineOptions options;
    private final Network stage1;
    private final Network stage2;
    private final Network stage3;
    private final Network textEncoder3;
    private final Network vae3;
    private final Network upsample;
    private final PromptTokenizer tokenizer3;
    private final Scheduler scheduler1;
    private final Scheduler scheduler2;
    private final Scheduler noising2;
    private final Scheduler scheduler3;
    private final Scheduler noising3;
    private final NDArray promptEmbeds;
    private final NDArray negativeEmbeds;
    private final ClassifierFreeGuidance guidance1 = new ClassifierFreeGuidance(7.0);
    private final ClassifierFreeGuidance guidance2 = new ClassifierFreeGuidance(4.0);
    private final ClassifierFreeGuidance guidance3 = new ClassifierFreeGuidance(9.0);

    IfCascade(PipelineSession session, PipelineOptions options) {
        this.session = session;
        this.options = options;
        this.stage1 = session.load(NetworkCatalog.IF_I_M_UNET, STAGE_1);
        this.stage2 = session.load(NetworkCatalog.IF_II_M_UNET, STAGE_2);
        this.stage3 = session.load(NetworkCatalog.X4_UNET, STAGE_3);
        this.textEncoder3 = session.load(NetworkCatalog.X4_TEXT_ENCODER, STAGE_3);
        this.vae3 = session.loadFp32(NetworkCatalog.X4_VAE, STAGE_3);
        this.upsample = session.loader.loadOperation("bilinear-" + Resolutions.ifStage(2, session.spec.tiny()),
                new BilinearResize(Resolutions.ifStage(2, session.spec.tiny())));
        this.tokenizer3 = session.loader.weights()
                .<PromptTokenizer>map(dir -> ClipBpeTokenizer.load(dir.resolve(STAGE_3).resolve("tokenizer")))
                .orElseGet(() -> new SyntheticTokenizer(0));
        StepCounting counting = options.counting();
        this.scheduler1 = scheduler(BuiltInScheduler.IF_STAGE_I, counting);
        this.scheduler2 = scheduler(BuiltInScheduler.IF_STAGE_II, counting);
        this.noising2 = scheduler(BuiltInScheduler.IF_STAGE_II_IMAGE_NOISING, counting);
        this.scheduler3 = scheduler(BuiltInScheduler.X4_UPSCALER, counting);
        this.noising3 = scheduler(BuiltInScheduler.X4_UPSCALER_LOW_RES, counting);
        long t5Width = session.loader.weights()
                .map(dir -> UNets.fromConfig(dir.resolve(STAGE_1).resolve("unet").resolve("config.json"),
                        AttentionKernel.SDPA).config().encoderHidDim())
                .orElseGet(() -> (session.spec.tiny() ? UNets.Variant.IF_I_M.tinyConfig() : UNets.Variant.IF_I_M.config())
                        .encoderHidDim());
        this.promptEmbeds = session.noise(session.manager, 1, 2, t5Width);
        this.negativeEmbeds = session.noise(session.manager, 1, 2, t5Width);
    }

    private static Scheduler scheduler(BuiltInScheduler which, StepCounting counting) {
        return SchedulerConfigs.create(SchedulerConfigs.builtIn(which).config(), counting);
    }

    private int stageSteps(int defaultSteps) {
        return stageSteps(defaultSteps, session.spec.steps());
    }

    /** A stage's steps for a cell's: diffusers' defaults (100, 50, 75) scaled by steps / 50, at least 1. */
    static int stageSteps(int defaultSteps, int steps) {
        return Math.max(1, (int) Math.round(defaultSteps * steps / 50.0));
    }

    /** The denoising schedulers of the three stages with each one's default steps, as {@link #call} sets them. */
    static final Map<BuiltInScheduler, Integer> STAGE_SCHEDULERS = Map.of(
            BuiltInScheduler.IF_STAGE_I, STAGE_I_STEPS, BuiltInScheduler.IF_STAGE_II, STAGE_II_STEPS,
            BuiltInScheduler.X4_UPSCALER, STAGE_III_STEPS);

    @Override
    public CallResult call() {
        session.memory.reset();
        CallClock clock = new CallClock();
        int b = session.spec.batch();
        boolean tiny = session.spec.tiny();
        try (NDManager call = session.manager.newSubManager()) {
            // stage I at the cell's batch
            NDArray text1 = negativeEmbeds.repeat(0, b).concat(promptEmbeds.repeat(0, b), 0);
            int px1 = Resolutions.ifStage(1, tiny);
            scheduler1.setTimesteps(stageSteps(STAGE_I_STEPS));
            NDArray image1 = session.denoise(call, "I", scheduler1, DenoisingSchedule.full(scheduler1),
                    session.noise(call, b, 3, px1, px1),
                    learnedVariance(stage1, scheduler1, guidance1, text1, null, null), clock);
            NDArray first = image1.get("0:1");

            // stage II at batch 1
            NDArray text2 = negativeEmbeds.concat(promptEmbeds, 0);
            int px2 = Resolutions.ifStage(2, tiny);
            NDArray upscaled = PipelineSession.run(upsample, first).singletonOrThrow();
            NDArray noised2 = noising2.addNoise(upscaled, session.noise(call, 1, 3, px2, px2), STAGE2_NOISE_LEVEL);
            scheduler2.setTimesteps(stageSteps(STAGE_II_STEPS));
            NDArray image2 = session.denoise(call, "II", scheduler2, DenoisingSchedule.full(scheduler2),
                    session.noise(call, 1, 3, px2, px2),
                    learnedVariance(stage2, scheduler2, guidance2, text2,
                            PipelineSession.doubled(noised2), call.create((long) STAGE2_NOISE_LEVEL)), clock);

            // stage III at batch 1: the x4 upscaler on stage I's image
            NDArray text3 = TextConditioning.encodePair(textEncoder3, tokenizer3, call, options.prompt()).get(0);
            NDArray noised3 = PipelineSession.doubled(noising3.addNoise(first, session.noise(call, 1, 3, px1, px1),
                    STAGE3_NOISE_LEVEL));
            NDArray level3 = call.create((long) STAGE3_NOISE_LEVEL);
            scheduler3.setTimesteps(stageSteps(STAGE_III_STEPS));
            NDArray latents3 = session.noise(call, 1, 4, px1, px1).mul(scheduler3.initNoiseSigma());
            NDArray result3 = session.denoise(call, "III", scheduler3, DenoisingSchedule.full(scheduler3), latents3, (x, t, timestep, step) -> {
                NDArray in = NDArrays.concat(new NDList(scheduler3.scaleModelInput(PipelineSession.doubled(x), t), noised3), 1);
                return guidance3.apply(session.runDenoiser(stage3, in, timestep, text3, level3).singletonOrThrow());
            }, clock);
            NDArray image3;
            try (NDArray scaled = result3.div(AutoencoderKLConfig.x4().scalingFactor())) {
                image3 = PipelineSession.run(vae3, scaled).singletonOrThrow().clip(-1, 1);
            }
            CallResult result = clock.finish(image3, session.memory);
            // after the clock: saving (PNGs, output checks) is not part of the call
            session.save(image1.clip(-1, 1), "if-stage1");
            session.save(image2.clip(-1, 1), "if-stage2");
            session.save(image3, "if-stage3");
            return result;
        }
    }

    /**
     * One IF UNet step with learned variance: the sample (with the noised low-res image beside it in
     * stage II) doubled for guidance; the noise half guided, the variance half from the conditional
     * half, for the DDPM step.
     */
    private PipelineSession.GuidedPrediction learnedVariance(Network unet, Scheduler scheduler, ClassifierFreeGuidance guidance,
                                                             NDArray text, NDArray lowRes, NDArray classLabels) {
        return (x, t, timestep, step) -> {
            NDArray in = scheduler.scaleModelInput(PipelineSession.doubled(x), t);
            if (lowRes != null) {
                in = NDArrays.concat(new NDList(in, lowRes), 1);
            }
            NDList out = classLabels == null
                    ? session.runDenoiser(unet, in, timestep, text)
                    : session.runDenoiser(unet, in, timestep, text, classLabels);
            return guidance.applyWithLearnedVariance(out.singletonOrThrow(), 3);
        };
    }

    @Override
    public List<String> notes() {
        return session.notes("stages I and II take random T5-shaped prompt embeddings (no T5 pass), as the benchmark did",
                "the IF-I-M and IF-II-M configs are reconstructed (a real config.json corrects them via --weights)",
                "stage III prompt tokens: " + tokenizer3.description());
    }

    @Override
    public CompileRecord compileRecord() {
        return session.compileRecord();
    }

    @Override
    public void close() {
        guidance1.close();
        guidance2.close();
        guidance3.close();
        for (Scheduler s : new Scheduler[] {scheduler1, scheduler2, noising2, scheduler3, noising3}) {
            s.close();
        }
        session.close();
    }
}
