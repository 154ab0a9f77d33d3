package diffbench.models.unet;

import java.util.List;

/**
 * A config read from a diffusers {@code config.json}, with the keys this project does not know.
 * They are returned, never dropped silently: a key a newer diffusers adds may change the network.
 */
public record ParsedConfig<T>(T config, List<String> unknownKeys) {

    public ParsedConfig {
        unknownKeys = List.copyOf(unknownKeys);
    }
}
