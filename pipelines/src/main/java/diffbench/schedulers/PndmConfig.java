package diffbench.schedulers;

import diffbench.models.ConfigReader;

/**
 * PNDMScheduler's {@code scheduler_config.json} (diffusers 0.19 keys and defaults). Only the PLMS
 * variant ({@code skip_prk_steps: true}, what Stable Diffusion ships) is implemented.
 *
 * @param setAlphaToOne alpha-bar used past the last step: 1, or alpha-bar(0) when false
 */
public record PndmConfig(BetaConfig betas, boolean setAlphaToOne, PredictionType predictionType,
                         TimestepSpacing timestepSpacing, int stepsOffset) implements SchedulerConfig {

    static PndmConfig read(ConfigReader r) {
        BetaConfig betas = BetaConfig.read(r);
        r.require("skip_prk_steps", false, true);
        return new PndmConfig(betas, r.boolOr("set_alpha_to_one", false), PredictionType.read(r),
                TimestepSpacing.read(r, TimestepSpacing.LEADING), r.intOr("steps_offset", 0));
    }

    @Override
    public String className() {
        return "PNDMScheduler";
    }
}
