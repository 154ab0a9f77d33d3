package diffbench.pipeline.text;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import diffbench.runtime.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizersTest {
    static final String PROMPT = "ghibli style, a fantasy landscape with castles";
    @TempDir
    Path dir;

    @Test
    void syntheticIdsHaveClipShapeAndSpecialIds() {
        SyntheticTokenizer t = SyntheticTokenizer.clipL();
        long[] ids = t.encode(PROMPT);
        assertEquals(77, ids.length);
        assertEquals(49406, ids[0]);
        // ghibli, style, ",", a, fantasy, landscape, with, castles: 8 tokens
        assertEquals(49407, ids[9], "EOS after the 8 tokens");
        for (int i = 1; i <= 8; i++) {
            assertTrue(ids[i] >= 0 && ids[i] < 49406, "ordinary id " + ids[i]);
        }
        for (int i = 10; i < 77; i++) {
            assertEquals(49407, ids[i], "SD 1.5 pads with <|endoftext|>");
        }
        assertArrayEquals(ids, t.encode(PROMPT), "deterministic");
        assertEquals(ids[2], t.encode("STYLE")[1], "case-insensitive words");
        assertNotEquals(ids[1], ids[2]);
        long[] bigG = SyntheticTokenizer.openClipBigG().encode(PROMPT);
        assertEquals(0, bigG[10], "SDXL tokenizer_2 pads with '!' (id 0)");
        long[] empty = t.encode("");
        assertEquals(49406, empty[0]);
        assertEquals(49407, empty[1]);
        long[] longPrompt = t.encode("word ".repeat(200));
        assertEquals(49407, longPrompt[76], "truncated to 75 tokens + EOS");
        assertTrue(t.description().contains("NOT CLIP's BPE"));
    }

    @Test
    void batchTensorIsInt64() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray ids = SyntheticTokenizer.clipL().encode(m, List.of("", PROMPT));
            assertEquals(new Shape(2, 77), ids.getShape());
            assertEquals(DataType.INT64, ids.getDataType());
            assertEquals(49407L, ids.getLong(0, 1));
        }
    }

    private Path tinyTokenizer(String specialTokens) throws Exception {
        Path t = dir.resolve("tokenizer");
        Files.createDirectories(t);
        Files.writeString(t.resolve("vocab.json"), "{\"!\": 0, \"h\": 1, \"i\": 2, \"h</w>\": 3, \"i</w>\": 4, \"hi</w>\": 5,"
                + " \"t\": 6, \"th\": 7, \"the</w>\": 8, \"e</w>\": 9, \"!</w>\": 10, \"\u00c3\": 11, \"<|startoftext|>\": 49406,"
                + " \"<|endoftext|>\": 49407}");
        Files.writeString(t.resolve("merges.txt"), "#version: 0.2\nh i</w>\nt h\nth e</w>\n");
        if (specialTokens != null) {
            Files.writeString(t.resolve("special_tokens_map.json"), specialTokens);
        }
        return t;
    }

    @Test
    void clipBpeMergesByRank() throws Exception {
        ClipBpeTokenizer t = ClipBpeTokenizer.load(tinyTokenizer(null));
        long[] ids = t.encode("  Hi   THE!  ");
        // hi -> h + i</w> -> hi</w>; the -> t h e</w> -> th e</w> -> the</w>; ! -> !</w>
        assertArrayEquals(new long[] {49406, 5, 8, 10, 49407, 49407}, Arrays.copyOf(ids, 6));
        assertEquals(49407, ids[76]);
        // "ih": no merge applies: i, h</w>; "é" is bytes C3 A9 -> "Ã", "©</w>": the second is unknown
        assertArrayEquals(new long[] {49406, 2, 3, 11, 49407, 49407}, Arrays.copyOf(t.encode("ih \u00e9"), 6));
        assertTrue(t.description().contains("CLIP BPE"));
    }

    @Test
    void padTokenFromSpecialTokensMap() throws Exception {
        ClipBpeTokenizer t = ClipBpeTokenizer.load(tinyTokenizer(
                "{\"bos_token\": \"<|startoftext|>\", \"pad_token\": {\"content\": \"!\", \"lstrip\": false}}"));
        assertEquals(0, t.padId());
        assertEquals(0, t.encode("hi")[3]);
    }

    @Test
    void missingFilesNameTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipBpeTokenizer.load(dir.resolve("none")));
        assertTrue(e.getMessage().contains("vocab.json and merges.txt"), e.getMessage());
    }
}
