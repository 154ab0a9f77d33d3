package diffbench.schedulers;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads typed values with diffusers' defaults out of one {@code scheduler_config.json} object and
 * remembers which keys were read, so the keys nobody knows can be reported instead of ignored.
 * Keys starting with '_' ({@code _class_name}, {@code _diffusers_version}) are metadata.
 */
final class ConfigReader {
    private final JsonObject json;
    private final Set<String> read = new HashSet<>();

    ConfigReader(JsonObject json) {
        this.json = json;
    }

    private JsonElement get(String key) {
        read.add(key);
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? null : e;
    }

    int integer(String key, int fallback) {
        JsonElement e = get(key);
        return e == null ? fallback : e.getAsInt();
    }

    double number(String key, double fallback) {
        JsonElement e = get(key);
        return e == null ? fallback : e.getAsDouble();
    }

    boolean bool(String key, boolean fallback) {
        JsonElement e = get(key);
        return e == null ? fallback : e.getAsBoolean();
    }

    String string(String key, String fallback) {
        JsonElement e = get(key);
        return e == null ? fallback : e.getAsString();
    }

    /** A string that must be one of {@code allowed}; anything else is an error naming key and value. */
    String choice(String key, String fallback, String... allowed) {
        String v = string(key, fallback);
        if (!Arrays.asList(allowed).contains(v)) {
            throw new IllegalArgumentException("unsupported " + key + " \"" + v + "\": this project implements "
                    + String.join(", ", allowed));
        }
        return v;
    }

    /** A key this project accepts only at one value (a feature it does not implement otherwise). */
    void require(String key, boolean fallback, boolean supported) {
        boolean v = bool(key, fallback);
        if (v != supported) {
            throw new IllegalArgumentException("unsupported " + key + " " + v + ": only " + supported + " is implemented");
        }
    }

    double[] numbersOrNull(String key) {
        JsonElement e = get(key);
        if (e == null) {
            return null;
        }
        JsonArray a = e.getAsJsonArray();
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    List<String> unknownKeys() {
        List<String> out = new ArrayList<>();
        for (String k : json.keySet()) {
            if (!k.startsWith("_") && !read.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }
}
