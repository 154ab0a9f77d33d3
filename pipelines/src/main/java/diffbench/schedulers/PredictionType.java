package diffbench.schedulers;

import diffbench.models.ConfigReader;

/** What the network predicts ({@code prediction_type}). */
public enum PredictionType {
    EPSILON("epsilon"),
    SAMPLE("sample"),
    V_PREDICTION("v_prediction");

    private final String key;

    PredictionType(String key) {
        this.key = key;
    }

    static PredictionType read(ConfigReader r) {
        String v = r.choice("prediction_type", "epsilon", "epsilon", "sample", "v_prediction");
        for (PredictionType p : values()) {
            if (p.key.equals(v)) {
                return p;
            }
        }
        throw new AssertionError(v);
    }

    public String key() {
        return key;
    }
}
