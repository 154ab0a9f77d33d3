package diffbench.models.unet;

import diffbench.nn.Layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The diffusers state_dict listings in test resources diffbench/keys ({@code name [d0, d1, ...]} per line; docs/architectures.md §2), and a layer's own. */
public final class StateDictListing {
    private StateDictListing() {
    }

    /** A listing from {@code src/test/resources/diffbench/keys/}. */
    public static List<String> resource(String file) {
        try (InputStream in = StateDictListing.class.getResourceAsStream("/diffbench/keys/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no key listing " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The layer's parameters in module order, in the listing's format. */
    public static List<String> of(Layer layer) {
        return layer.namedParameters().entrySet().stream()
                .map(e -> e.getKey() + " " + Arrays.toString(e.getValue().shape()))
                .toList();
    }
}
