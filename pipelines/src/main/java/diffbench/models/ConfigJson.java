package diffbench.models;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.annotations.SerializedName;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a diffusers / transformers {@code config.json} into a record whose components are the
 * config's keys in camelCase ({@code block_out_channels} → {@code blockOutChannels}). Keys the file
 * leaves out take the library's defaults; keys the record does not know are collected and handed
 * back (never dropped silently); keys that are known but do not change the architecture (versions,
 * dropout, token ids) are listed by the caller as {@code inert}.
 */
public final class ConfigJson {
    private static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

    /** A parsed config and the keys of the file that nothing reads. */
    public record Parsed<T>(T config, List<String> unknownKeys) {
        public Parsed {
            unknownKeys = List.copyOf(unknownKeys);
        }
    }

    private ConfigJson() {
    }

    public static <T extends Record> Parsed<T> read(Path file, Class<T> type, String defaults, Set<String> inert) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return parse(json, type, defaults, inert, file.toString());
    }

    /** A config bundled with the project (the benchmarked architectures). */
    public static <T extends Record> T resource(String path, Class<T> type, String defaults, Set<String> inert) {
        try (InputStream in = ConfigJson.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("bundled config " + path + " is missing from the class path");
            }
            Parsed<T> p = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), type, defaults, inert, path);
            if (!p.unknownKeys().isEmpty()) {
                throw new IllegalStateException("bundled config " + path + " has unknown keys " + p.unknownKeys());
            }
            return p.config();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param defaults a JSON object of the values a missing key takes
     * @param source the file name, for messages
     */
    public static <T extends Record> Parsed<T> parse(String json, Class<T> type, String defaults, Set<String> inert,
                                                     String source) {
        JsonObject given;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException(source + ": a config must be a JSON object");
            }
            given = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        Set<String> known = keysOf(type);
        List<String> unknown = new ArrayList<>();
        for (String key : given.keySet()) {
            if (!known.contains(key) && !inert.contains(key)) {
                unknown.add(key);
            }
        }
        JsonObject merged = JsonParser.parseString(defaults).getAsJsonObject();
        for (Map.Entry<String, JsonElement> e : given.entrySet()) {
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
            return new Parsed<>(GSON.fromJson(merged, type), unknown);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + ": a value has the wrong type: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Gson wraps what the record's constructor rejects (an unsupported value)
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException) {
                    throw new IllegalArgumentException(source + ": " + c.getMessage(), c);
                }
            }
            throw e;
        }
    }

    /** The config as a config.json would hold it (snake_case keys; null values left out). */
    public static String toJson(Record config) {
        return GSON.toJson(config);
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
