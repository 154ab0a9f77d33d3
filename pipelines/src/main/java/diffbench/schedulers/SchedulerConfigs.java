package diffbench.schedulers;

import diffbench.models.ConfigReader;


import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Parses diffusers {@code scheduler_config.json} files and builds the scheduler they name. */
public final class SchedulerConfigs {
    private SchedulerConfigs() {
    }

    /**
     * A parsed config and the keys it has that the class does not use (diffusers ignores them with
     * a warning; here they are returned so the caller prints them).
     */
    public record Parsed(SchedulerConfig config, List<String> unknownKeys) {
    }

    public static Parsed read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scheduler config " + file + ": " + e.getMessage()
                    + " (pass the scheduler/scheduler_config.json of a diffusers folder)", e);
        }
    }

    /** One of the configs of the benchmarked checkpoints, shipped as resources. */
    public static Parsed builtIn(BuiltInScheduler which) {
        String name = "/diffbench/schedulers/" + which.resource();
        try (InputStream in = SchedulerConfigs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Parsed parse(String json, String source) {
        ConfigReader r = new ConfigReader(json, source);
        String className = r.stringOrNull("_class_name");
        if (className == null) {
            throw new IllegalArgumentException(source + " has no _class_name: expected a diffusers scheduler_config.json");
        }
        try {
            SchedulerConfig config = switch (className) {
                case "PNDMScheduler" -> PndmScheduler.Config.read(r);
                case "DDIMScheduler" -> DdimScheduler.Config.read(r);
                case "EulerDiscreteScheduler" -> EulerDiscreteScheduler.Config.read(r);
                case "DDPMScheduler" -> DdpmScheduler.Config.read(r);
                default -> throw new IllegalArgumentException("unsupported _class_name \"" + className
                        + "\": this project implements PNDMScheduler, DDIMScheduler, EulerDiscreteScheduler, DDPMScheduler");
            };
            return new Parsed(config, r.unknownKeys());
        } catch (IllegalArgumentException | UnsupportedOperationException | ClassCastException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The scheduler the config names, with diffusers' call defaults (DDIM eta 0, noise from the
     * engine's generator). {@code counting} matters for PNDM only.
     */
    public static Scheduler create(SchedulerConfig config, StepCounting counting) {
        return create(config, counting, NoiseSource.ENGINE);
    }

    /** As {@link #create(SchedulerConfig, StepCounting)}, DDPM's variance noise drawn from {@code noise}. */
    public static Scheduler create(SchedulerConfig config, StepCounting counting, NoiseSource noise) {
        if (config instanceof PndmScheduler.Config c) {
            return new PndmScheduler(c, counting);
        }
        if (config instanceof DdimScheduler.Config c) {
            return new DdimScheduler(c);
        }
        if (config instanceof EulerDiscreteScheduler.Config c) {
            return new EulerDiscreteScheduler(c);
        }
        return new DdpmScheduler((DdpmScheduler.Config) config, noise);
    }
}
