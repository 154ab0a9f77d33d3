package diffbench.schedulers;

/** A parsed {@code scheduler_config.json} of one of the implemented scheduler classes. */
public sealed interface SchedulerConfig permits PndmScheduler.Config, DdimScheduler.Config, EulerDiscreteScheduler.Config,
        DdpmScheduler.Config {

    /** diffusers' {@code _class_name}. */
    String className();

    BetaConfig betas();

    TimestepSpacing timestepSpacing();

    int stepsOffset();
}
