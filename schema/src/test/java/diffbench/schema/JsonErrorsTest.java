package diffbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** Issue 16 item 8: Gson's advice to its callers never reaches a user; where the JSON breaks does. */
class JsonErrorsTest {

    private static String describe(String json) {
        return JsonErrors.describe(assertThrows(JsonParseException.class, () -> JsonParser.parseString(json)));
    }

    @Test
    void saysWhereTheJsonBreaksInOneLine() {
        assertEquals("malformed JSON at line 1 column 6 path $", describe("not json"));
        assertEquals("Expected ':' at line 1 column 7 path $.not", describe("{not json"));
        assertEquals("End of input at line 1 column 7 path $.a", describe("{\"a\": "));
    }
}
