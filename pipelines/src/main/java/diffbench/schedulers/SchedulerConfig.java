package diffbench.schedulers;

import diffbench.models.ConfigReader;

import java.util.Arrays;
import java.util.Locale;

/** A parsed {@code scheduler_config.json} of one of the implemented scheduler classes. */
public sealed interface SchedulerConfig permits PndmScheduler.Config, DdimScheduler.Config, EulerDiscreteScheduler.Config,
        DdpmScheduler.Config {

    /** diffusers' {@code _class_name}. */
    String className();

    BetaConfig betas();

    TimestepSpacing timestepSpacing();

    int stepsOffset();

    /** An enum whose constants are a config key's values, spelt as the constant in lower case. */
    interface Choice {
        String name();

        /** The value as {@code scheduler_config.json} spells it, e.g. {@code v_prediction}. */
        default String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The constant {@code key} names, {@code fallback} where it is absent; another value is refused naming the key. */
        static <E extends Enum<E> & Choice> E read(ConfigReader r, String key, E fallback) {
            E[] values = fallback.getDeclaringClass().getEnumConstants();
            String v = r.choice(key, fallback.key(), Arrays.stream(values).map(Choice::key).toArray(String[]::new));
            return Arrays.stream(values).filter(e -> e.key().equals(v)).findFirst().orElseThrow();
        }
    }
}
