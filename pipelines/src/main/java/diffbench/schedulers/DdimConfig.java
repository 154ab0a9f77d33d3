package diffbench.schedulers;

import diffbench.models.ConfigReader;

/** DDIMScheduler's {@code scheduler_config.json} (diffusers 0.19 keys and defaults). */
public record DdimConfig(BetaConfig betas, SampleClipping clipping, boolean setAlphaToOne, int stepsOffset,
                         PredictionType predictionType, TimestepSpacing timestepSpacing) implements SchedulerConfig {

    static DdimConfig read(ConfigReader r) {
        BetaConfig betas = BetaConfig.read(r);
        SampleClipping clipping = SampleClipping.read(r);
        boolean setAlphaToOne = r.boolOr("set_alpha_to_one", true);
        int stepsOffset = r.intOr("steps_offset", 0);
        PredictionType prediction = PredictionType.read(r);
        TimestepSpacing spacing = TimestepSpacing.read(r, TimestepSpacing.LEADING);
        r.require("rescale_betas_zero_snr", false, false);
        return new DdimConfig(betas, clipping, setAlphaToOne, stepsOffset, prediction, spacing);
    }

    @Override
    public String className() {
        return "DDIMScheduler";
    }
}
