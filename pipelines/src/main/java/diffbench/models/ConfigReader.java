package diffbench.models;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.annotations.SerializedName;
import diffbench.schema.JsonErrors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One diffusers / transformers {@code config.json} object, read key by key. Every key asked for is
 * remembered, so what is left over is exactly the set of unknown keys, handed back with the config
 * (never dropped silently: a key a newer diffusers adds may change the network). {@code _}-prefixed
 * keys ({@code _class_name}, {@code _diffusers_version}) are metadata. A JSON null counts as absent,
 * as diffusers treats it. Type errors name the key.
 *
 * <p>Two ways to build a config from it: typed reads ({@link #intOr}, {@link #intsPerBlock}, ...)
 * for configs with per-block values and cross-key rules (UNet, ControlNet), or {@link #bind} for
 * configs that are a flat record of their keys (VAE, CLIP text).
 */
public final class ConfigReader {
    private static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

    /** A parsed config and the keys of the file that nothing reads. */
    public record Parsed<T>(T config, List<String> unknownKeys) {
        public Parsed {
            unknownKeys = List.copyOf(unknownKeys);
        }
    }

    private final JsonObject json;
    private final String source;
    private final Set<String> read = new HashSet<>();

    /** @param source the file name, for messages */
    public ConfigReader(String jsonText, String source) {
        this.source = source;
        try {
            JsonElement e = JsonParser.parseString(jsonText);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException(source + ": a config must be a JSON object");
            }
            this.json = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + JsonErrors.describe(e), e);
        }
    }

    /** Reads a config file: a missing file is an IllegalArgumentException naming it. */
    public static ConfigReader of(Path file) {
        try {
            return new ConfigReader(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a config file with {@code parse}, returning the config and the keys it left unread. */
    public static <T> Parsed<T> read(Path file, Function<ConfigReader, T> parse) {
        return of(file).parse(parse);
    }

    /** A config bundled with the project (the benchmarked architectures): an unknown key there is a bug. */
    public static <T> T builtIn(String resource, Function<ConfigReader, T> parse) {
        try (InputStream in = ConfigReader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("bundled config " + resource + " is missing from the class path");
            }
            Parsed<T> p = new ConfigReader(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource).parse(parse);
            if (!p.unknownKeys().isEmpty()) {
                throw new IllegalStateException("bundled config " + resource + " has unknown keys " + p.unknownKeys());
            }
            return p.config();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code parse} on this reader; what it rejects is reported with the file's name. */
    public <T> Parsed<T> parse(Function<ConfigReader, T> parse) {
        T config;
        try {
            config = parse.apply(this);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            throw m.startsWith(source) ? e : new IllegalArgumentException(source + ": " + m, e);
        }
        return new Parsed<>(config, unknownKeys());
    }

    public String source() {
        return source;
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

    /**
     * The whole object as a record whose components are the keys in camelCase
     * ({@code block_out_channels} → {@code blockOutChannels}). Absent keys take {@code defaults} (a
     * JSON object with a value for every component); {@code inert} keys (versions, dropout, token
     * ids: known, but they do not change the module) count as read.
     */
    public <T extends Record> T bind(Class<T> type, String defaults, Set<String> inert) {
        Set<String> known = keysOf(type);
        read.addAll(known);
        read.addAll(inert);
        JsonObject merged = JsonParser.parseString(defaults).getAsJsonObject();
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (known.contains(e.getKey()) && !e.getValue().isJsonNull()) {
                merged.add(e.getKey(), e.getValue());
            }
        }
        for (String key : known) {
            if (!merged.has(key)) {
                throw new IllegalStateException(type.getSimpleName() + " has no default for " + key);
            }
        }
        try {
            return GSON.fromJson(merged, type);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("a value has the wrong type: " + JsonErrors.describe(e), e);
        } catch (RuntimeException e) {
            // Gson wraps what the record's constructor rejects (an unsupported value)
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException) {
                    throw new IllegalArgumentException(c.getMessage(), c);
                }
            }
            throw e;
        }
    }

    /** A record config as a config.json would hold it (snake_case keys; null values left out). */
    public static String toJson(Record config) {
        return GSON.toJson(config);
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

    /** Whether the file sets {@code key} to JSON null (where diffusers reads null as "none", not as its default). */
    public boolean isNull(String key) {
        read.add(key);
        JsonElement e = json.get(key);
        return e != null && e.isJsonNull();
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
        return e == null ? fallback : asDouble(key, e);
    }

    /** A list of numbers, or null when absent. */
    public double[] doublesOrNull(String key) {
        JsonElement e = get(key);
        return e == null ? null : list(key, e, x -> asDouble(key, x)).stream().mapToDouble(Double::doubleValue).toArray();
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
        Function<JsonElement, Boolean> bool = x -> {
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isBoolean()) {
                throw typeError(key, "true, false or a list of them", e);
            }
            return x.getAsBoolean();
        };
        return e.isJsonArray() ? sized(key, list(key, e, bool), blocks) : Collections.nCopies(blocks, bool.apply(e));
    }

    /** A string that must be one of {@code allowed}; anything else is an error naming key and value. */
    public String choice(String key, String fallback, String... allowed) {
        String v = stringOr(key, fallback);
        if (!List.of(allowed).contains(v)) {
            throw unsupported(key, "\"" + v + "\"", String.join(", ", allowed));
        }
        return v;
    }

    /** A boolean key this project implements at one value only. */
    public void require(String key, boolean fallback, boolean supported) {
        boolean v = boolOr(key, fallback);
        if (v != supported) {
            throw unsupported(key, v, String.valueOf(supported));
        }
    }

    /** The project's error for a value it does not implement. */
    public static IllegalArgumentException unsupported(String key, Object value, String supported) {
        return new IllegalArgumentException("unsupported " + key + " = " + value + " (supported: " + supported + ")");
    }

    private static <T> List<T> sized(String key, List<T> values, int blocks) {
        if (values.size() != blocks) {
            throw new IllegalArgumentException(key + " has " + values.size() + " entries but there are " + blocks + " blocks");
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

    private static double asDouble(String key, JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw typeError(key, "a number", e);
        }
        return e.getAsDouble();
    }

    private static IllegalArgumentException typeError(String key, String expected, JsonElement e) {
        return new IllegalArgumentException(key + " must be " + expected + ", found " + e);
    }

    /** The JSON key of each record component. */
    static Set<String> keysOf(Class<? extends Record> type) {
        Set<String> keys = new HashSet<>();
        for (Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                SerializedName named = f.getAnnotation(SerializedName.class);
                keys.add(named != null ? named.value() : FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES.translateName(f));
            }
        }
        return keys;
    }
}
