package diffbench.schedulers;

import diffbench.models.ConfigReader;

/**
 * EulerDiscreteScheduler's {@code scheduler_config.json} (diffusers 0.19 keys and defaults; note
 * the default spacing is linspace, SDXL's file says leading). Linear sigma interpolation only.
 */
public record EulerConfig(BetaConfig betas, PredictionType predictionType, TimestepSpacing timestepSpacing,
                          int stepsOffset) implements SchedulerConfig {

    static EulerConfig read(ConfigReader r) {
        BetaConfig betas = BetaConfig.read(r);
        PredictionType prediction = PredictionType.read(r);
        r.choice("interpolation_type", "linear", "linear");
        r.require("use_karras_sigmas", false, false);
        return new EulerConfig(betas, prediction, TimestepSpacing.read(r, TimestepSpacing.LINSPACE), r.intOr("steps_offset", 0));
    }

    @Override
    public String className() {
        return "EulerDiscreteScheduler";
    }
}
