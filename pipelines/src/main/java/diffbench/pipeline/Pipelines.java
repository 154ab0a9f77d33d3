package diffbench.pipeline;

import diffbench.runtime.EngineMode;
import diffbench.schedulers.BuiltInScheduler;
import diffbench.schedulers.Scheduler;
import diffbench.schedulers.SchedulerConfigs;
import diffbench.schedulers.StepCounting;

import java.util.Map;
import java.util.stream.Collectors;

/** Opens the pipeline a cell names: loads its networks on the device in the cell's mode. */
public final class Pipelines {
    private Pipelines() {
    }

    public static BenchmarkPipeline open(PipelineSpec spec) {
        return open(spec, PipelineOptions.defaults());
    }

    /**
     * @throws IllegalArgumentException for a batch or step count below 1
     * @throws ai.djl.engine.EngineException from the engine, e.g. CUDA out of memory while loading
     */
    public static BenchmarkPipeline open(PipelineSpec spec, PipelineOptions options) {
        checkSettings(spec);
        PipelineSession session = new PipelineSession(spec, options.images());
        try {
            return switch (spec.pipelineId()) {
                case SD_TXT2IMG -> new SdTxt2Img(session, options);
                case SD_IMG2IMG -> new SdImg2Img(session, options);
                case SD_INPAINT -> new SdInpaint(session, options);
                case SD_CONTROLNET -> new SdControlNet(session, options);
                case IF -> new IfCascade(session, options);
                case SDXL_TXT2IMG -> new SdxlTxt2Img(session, options);
            };
        } catch (RuntimeException | Error e) {
            session.close();
            throw e;
        }
    }

    /**
     * Refuses settings no machine could run, before anything loads: a batch or step count below 1,
     * more steps than a scheduler of the pipeline has training timesteps for (its built-in config;
     * a weights folder brings its own), cuda-graph mode off a GPU. The harness checks every cell
     * with this before its first one runs.
     *
     * @throws IllegalArgumentException naming the setting and what would work (UnsupportedOperationException for the mode)
     */
    public static void checkSettings(PipelineSpec spec) {
        if (spec.batch() < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + spec.batch());
        }
        if (spec.steps() < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + spec.steps());
        }
        EngineMode engine = EngineMode.of(spec.mode());
        if (engine.deviceProblem(spec.device()) != null) {
            throw new UnsupportedOperationException(engine.refusal(engine.deviceProblem(spec.device())));
        }
        if (spec.weights().isPresent()) {
            return;
        }
        Map<BuiltInScheduler, Integer> schedules = switch (spec.pipelineId()) {
            case SD_TXT2IMG, SD_IMG2IMG, SD_CONTROLNET -> Map.of(BuiltInScheduler.SD15, spec.steps());
            case SD_INPAINT -> Map.of(BuiltInScheduler.SD_INPAINTING, spec.steps());
            case SDXL_TXT2IMG -> Map.of(BuiltInScheduler.SDXL, spec.steps());
            case IF -> IfCascade.STAGE_SCHEDULERS.entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, e -> IfCascade.stageSteps(e.getValue(), spec.steps())));
        };
        schedules.forEach((which, steps) -> {
            try (Scheduler scheduler = SchedulerConfigs.create(SchedulerConfigs.builtIn(which).config(), StepCounting.PLAIN)) {
                scheduler.setTimesteps(steps);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(spec.pipelineId().id() + " cannot run " + spec.steps() + " steps ("
                        + e.getMessage() + "): use fewer steps", e);
            }
        });
    }
}
