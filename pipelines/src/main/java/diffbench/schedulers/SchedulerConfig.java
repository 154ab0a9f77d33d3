package diffbench.schedulers;

/** A parsed {@code scheduler_config.json} of one of the implemented scheduler classes. */
public sealed interface SchedulerConfig permits PndmConfig, DdimConfig, EulerConfig, DdpmConfig {

    /** diffusers' {@code _class_name}. */
    String className();

    BetaConfig betas();

    TimestepSpacing timestepSpacing();

    int stepsOffset();
}
