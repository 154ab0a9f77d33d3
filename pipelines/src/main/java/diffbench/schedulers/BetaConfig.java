package diffbench.schedulers;

import diffbench.models.ConfigReader;

/**
 * The noise-schedule part of every scheduler config ({@code scheduler_config.json} keys).
 *
 * @param trainedBetas explicit betas, or null to compute them from {@code betaSchedule}
 */
public record BetaConfig(int numTrainTimesteps, double betaStart, double betaEnd, String betaSchedule, double[] trainedBetas) {

    static BetaConfig read(ConfigReader r) {
        return new BetaConfig(
                r.intOr("num_train_timesteps", 1000),
                r.doubleOr("beta_start", 0.0001),
                r.doubleOr("beta_end", 0.02),
                r.choice("beta_schedule", "linear", "linear", "scaled_linear", "squaredcos_cap_v2"),
                r.doublesOrNull("trained_betas"));
    }
}
