package diffbench.models.unet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed access to the keys of a diffusers {@code config.json} object. Every key read is remembered,
 * so what is left over is exactly the set of unknown keys; {@code _}-prefixed keys
 * ({@code _class_name}, {@code _diffusers_version}, ...) are metadata. A JSON null counts as absent,
 * as diffusers treats it. Type errors name the key.
 */
public final class ConfigReader {
    private final JsonObject json;
    private final Set<String> read = new HashSet<>();

    public ConfigReader(String jsonText) {
        try {
            this.json = JsonParser.parseString(jsonText).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("config.json is not a JSON object: " + e.getMessage(), e);
        }
    }

    /** Keys present in the file that no reader asked for (metadata excluded), in file order. */
    public List<String> unknownKeys() {
        List<String> out = new ArrayList<>();
        for (String k : json.keySet()) {
            if (!read.contains(k) && !k.startsWith("_")) {
                out.add(k);
            }
        }
        return out;
    }

    /** The value of {@code key}, or null when absent or JSON null. */
    private JsonElement get(String key) {
        read.add(key);
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? null : e;
    }

    public boolean has(String key) {
        return get(key) != null;
    }

    /** Whether {@code key} holds a JSON list. */
    public boolean isList(String key) {
        JsonElement e = get(key);
        return e != null && e.isJsonArray();
    }

    public Integer intOrNull(String key) {
        JsonElement e = get(key);
        return e == null ? null : asInt(key, e);
    }

    public int intOr(String key, int fallback) {
        Integer v = intOrNull(key);
        return v == null ? fallback : v;
    }

    public double doubleOr(String key, double fallback) {
        JsonElement e = get(key);
        if (e == null) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw typeError(key, "a number", e);
        }
        return e.getAsDouble();
    }

    public Boolean boolOrNull(String key) {
        JsonElement e = get(key);
        if (e == null) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw typeError(key, "true or false", e);
        }
        return e.getAsBoolean();
    }

    public boolean boolOr(String key, boolean fallback) {
        Boolean v = boolOrNull(key);
        return v == null ? fallback : v;
    }

    public String stringOrNull(String key) {
        JsonElement e = get(key);
        if (e == null) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw typeError(key, "a string", e);
        }
        return e.getAsString();
    }

    public String stringOr(String key, String fallback) {
        String v = stringOrNull(key);
        return v == null ? fallback : v;
    }

    public List<String> strings(String key, List<String> fallback) {
        JsonElement e = get(key);
        return e == null ? fallback : list(key, e, x -> {
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                throw typeError(key, "a list of strings", e);
            }
            return x.getAsString();
        });
    }

    public List<Integer> ints(String key, List<Integer> fallback) {
        JsonElement e = get(key);
        return e == null ? fallback : list(key, e, x -> asInt(key, x));
    }

    /**
     * A value diffusers accepts as one int for every block or as a list with one per block (layers_per_block,
     * attention_head_dim, ...): always returned as {@code blocks} values; null when absent and no fallback.
     */
    public List<Integer> intsPerBlock(String key, int blocks, Integer fallback) {
        JsonElement e = get(key);
        if (e == null) {
            return fallback == null ? null : Collections.nCopies(blocks, fallback);
        }
        if (!e.isJsonArray()) {
            return Collections.nCopies(blocks, asInt(key, e));
        }
        return sized(key, list(key, e, x -> asInt(key, x)), blocks);
    }

    /** As {@link #intsPerBlock} for booleans (only_cross_attention). */
    public List<Boolean> boolsPerBlock(String key, int blocks, boolean fallback) {
        JsonElement e = get(key);
        if (e == null) {
            return Collections.nCopies(blocks, fallback);
        }
        java.util.function.Function<JsonElement, Boolean> bool = x -> {
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isBoolean()) {
                throw typeError(key, "true, false or a list of them", e);
            }
            return x.getAsBoolean();
        };
        return e.isJsonArray() ? sized(key, list(key, e, bool), blocks) : Collections.nCopies(blocks, bool.apply(e));
    }

    /** Throws the project's error for a value it does not implement. */
    public static IllegalArgumentException unsupported(String key, Object value, String supported) {
        return new IllegalArgumentException("config.json: unsupported " + key + " = " + value + " (supported: " + supported + ")");
    }

    private static <T> List<T> sized(String key, List<T> values, int blocks) {
        if (values.size() != blocks) {
            throw new IllegalArgumentException("config.json: " + key + " has " + values.size()
                    + " entries but there are " + blocks + " blocks");
        }
        return values;
    }

    private static <T> List<T> list(String key, JsonElement e, Function<JsonElement, T> item) {
        if (!e.isJsonArray()) {
            throw typeError(key, "a list", e);
        }
        JsonArray a = e.getAsJsonArray();
        List<T> out = new ArrayList<>(a.size());
        a.forEach(x -> out.add(item.apply(x)));
        return List.copyOf(out);
    }

    private static int asInt(String key, JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsDouble() != Math.rint(e.getAsDouble())) {
            throw typeError(key, "an integer", e);
        }
        return e.getAsInt();
    }

    private static IllegalArgumentException typeError(String key, String expected, JsonElement e) {
        return new IllegalArgumentException("config.json: " + key + " must be " + expected + ", found " + e);
    }
}
