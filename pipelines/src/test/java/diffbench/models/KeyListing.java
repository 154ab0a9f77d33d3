package diffbench.models;

import diffbench.nn.Layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A checkpoint's state_dict listing ("name [d0, d1, ...]" per line, in module order), compared with a built network. */
public final class KeyListing {
    private KeyListing() {
    }

    public static List<String> read(String name) throws IOException {
        try (InputStream in = KeyListing.class.getResourceAsStream("/diffbench/keys/" + name + ".txt")) {
            if (in == null) {
                throw new AssertionError("no key listing " + name);
            }
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
            return lines;
        }
    }

    public static List<String> of(Layer network) {
        List<String> lines = new ArrayList<>();
        network.namedParameters().forEach((k, v) -> lines.add(k + " " + Arrays.toString(v.shape())));
        return lines;
    }

    /** Same names, shapes and order as the checkpoint. */
    public static void assertMatches(String listing, Layer network) throws IOException {
        assertEquals(String.join("\n", read(listing)), String.join("\n", of(network)), listing);
    }
}
