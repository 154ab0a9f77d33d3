package diffbench.schema;

import com.google.gson.JsonParseException;
import java.util.stream.Collectors;

/**
 * Gson's parse errors in words for the person whose file it is: where the JSON is broken, without
 * Gson's advice to its own callers ("Use JsonReader.setStrictness(Strictness.LENIENT) to accept
 * malformed JSON", which no user of diffbench can follow), its exception class names and its
 * troubleshooting link.
 */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** "Expected ':' at line 1 column 7 path $.not", "malformed JSON at line 1 column 1 path $". */
    public static String describe(JsonParseException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines()
                .filter(l -> !l.startsWith("See https://"))
                .map(l -> l.replaceFirst("^(?:[a-z]+\\.)+[A-Za-z]*(?:Exception|Error): ", ""))
                .map(l -> l.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON"))
                .collect(Collectors.joining(" ")).strip();
    }
}
