package diffbench.schedulers;

import diffbench.models.ConfigReader;

/** What the network predicts ({@code prediction_type}). */
public enum PredictionType implements SchedulerConfig.Choice {
    EPSILON,
    SAMPLE,
    V_PREDICTION;

    static PredictionType read(ConfigReader r) {
        return SchedulerConfig.Choice.read(r, "prediction_type", EPSILON);
    }
}
