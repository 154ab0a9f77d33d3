package diffbench.pipeline.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic stand-in for CLIP's tokenizer in synthetic-weight runs (no tokenizer files):
 * lower-cased words and punctuation marks, each mapped to an id in CLIP's ordinary vocabulary
 * range [0, 49405] by a 64-bit FNV-1a hash, framed like CLIPTokenizer's output. The text encoder
 * sees the same shapes, special ids and padding as with the real tokenizer; the ids themselves are
 * not CLIP's BPE ids.
 */
public final class SyntheticTokenizer implements PromptTokenizer {
    /** Ordinary (non-special) ids of CLIP's 49408-entry vocabulary. */
    static final int ORDINARY_IDS = 49406;
    private final int padId;

    /** @param padId 49407 ({@code <|endoftext|>}) for CLIP-L tokenizers, 0 ({@code !}) for SDXL's tokenizer_2 */
    public SyntheticTokenizer(int padId) {
        this.padId = padId;
    }

    /** SD 1.5 / SDXL {@code tokenizer}: pads with {@code <|endoftext|>}. */
    public static SyntheticTokenizer clipL() {
        return new SyntheticTokenizer(EOS);
    }

    /** SDXL {@code tokenizer_2}: pads with {@code !} (id 0). */
    public static SyntheticTokenizer openClipBigG() {
        return new SyntheticTokenizer(0);
    }

    @Override
    public long[] encode(String prompt) {
        return PromptTokenizer.frame(words(prompt), padId);
    }

    private static List<Integer> words(String prompt) {
        List<Integer> ids = new ArrayList<>();
        String text = prompt.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            if (Character.isWhitespace(c)) {
                i += Character.charCount(c);
                continue;
            }
            int start = i;
            if (Character.isLetterOrDigit(c)) {
                while (i < text.length() && Character.isLetterOrDigit(text.codePointAt(i))) {
                    i += Character.charCount(text.codePointAt(i));
                }
            } else {
                i += Character.charCount(c);
            }
            ids.add(hashId(text.substring(start, i)));
        }
        return ids;
    }

    static int hashId(String word) {
        long h = 0xcbf29ce484222325L;
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return (int) Long.remainderUnsigned(h, ORDINARY_IDS);
    }

    @Override
    public String description() {
        return "synthetic tokenizer (word hashes, NOT CLIP's BPE; pad id " + padId + "): same shapes and special ids as CLIPTokenizer";
    }
}
