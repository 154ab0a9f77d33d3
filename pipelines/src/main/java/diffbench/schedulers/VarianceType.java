package diffbench.schedulers;

import diffbench.models.ConfigReader;

/**
 * DDPM's posterior variance ({@code variance_type}). {@code fixed_large_log} is not offered: diffusers
 * takes the square root of a log variance there (NaN), so no checkpoint can use it.
 */
public enum VarianceType {
    FIXED_SMALL("fixed_small"),
    FIXED_SMALL_LOG("fixed_small_log"),
    FIXED_LARGE("fixed_large"),
    /** the network's extra channels are the variance */
    LEARNED("learned"),
    /** the network's extra channels v in [-1, 1] interpolate log variance: frac = (v + 1) / 2 (IF) */
    LEARNED_RANGE("learned_range");

    private final String key;

    VarianceType(String key) {
        this.key = key;
    }

    static VarianceType read(ConfigReader r) {
        String v = r.choice("variance_type", "fixed_small",
                "fixed_small", "fixed_small_log", "fixed_large", "learned", "learned_range");
        for (VarianceType t : values()) {
            if (t.key.equals(v)) {
                return t;
            }
        }
        throw new AssertionError(v);
    }

    /** Whether the model output carries the variance in a second half of its channels. */
    public boolean learned() {
        return this == LEARNED || this == LEARNED_RANGE;
    }
}
