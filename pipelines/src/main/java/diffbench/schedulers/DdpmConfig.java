package diffbench.schedulers;

import diffbench.models.ConfigReader;

/** DDPMScheduler's {@code scheduler_config.json} (diffusers 0.19 keys and defaults). */
public record DdpmConfig(BetaConfig betas, VarianceType varianceType, SampleClipping clipping,
                         PredictionType predictionType, TimestepSpacing timestepSpacing, int stepsOffset)
        implements SchedulerConfig {

    static DdpmConfig read(ConfigReader r) {
        BetaConfig betas = BetaConfig.read(r);
        VarianceType variance = VarianceType.read(r);
        SampleClipping clipping = SampleClipping.read(r);
        PredictionType prediction = PredictionType.read(r);
        return new DdpmConfig(betas, variance, clipping, prediction, TimestepSpacing.read(r, TimestepSpacing.LEADING), r.intOr("steps_offset", 0));
    }

    @Override
    public String className() {
        return "DDPMScheduler";
    }
}
