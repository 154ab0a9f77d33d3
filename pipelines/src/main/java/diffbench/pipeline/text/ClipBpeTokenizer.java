package diffbench.pipeline.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer (transformers' CLIPTokenizer) read from a checkpoint's
 * {@code tokenizer/} folder: {@code vocab.json}, {@code merges.txt} and, when present,
 * {@code special_tokens_map.json} for the pad token ({@code <|endoftext|>} by default; SDXL's
 * tokenizer_2 pads with {@code !}). Text is whitespace-normalised and lower-cased (ftfy's
 * mojibake repair is not reproduced), split with CLIP's pattern, each piece's UTF-8 bytes mapped
 * to GPT-2's printable byte alphabet, its last symbol marked with {@code </w>}, and merged by
 * rank. Unknown pieces become {@code <|endoftext|>}.
 */
public final class ClipBpeTokenizer implements PromptTokenizer {
    /** CLIPTokenizer reads merges.txt lines 1 .. 49152 - 256 - 2 (the file's first line is a header). */
    static final int MERGES_USED = 49152 - 256 - 2;
    private static final Pattern PIECES = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE);
    private static final char[] BYTE_TO_CHAR = byteAlphabet();
    private final Map<String, Integer> vocab;
    private final Map<String, Integer> mergeRanks;
    private final int padId;
    private final int unknownId;
    private final Path source;
    private final Map<String, List<Integer>> cache = new HashMap<>();

    private ClipBpeTokenizer(Map<String, Integer> vocab, Map<String, Integer> mergeRanks, String padToken, Path source) {
        this.vocab = vocab;
        this.mergeRanks = mergeRanks;
        this.source = source;
        this.unknownId = id("<|endoftext|>");
        this.padId = id(padToken);
    }

    private int id(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException(source.resolve("vocab.json") + " has no token " + token
                    + ": is this a CLIP tokenizer folder?");
        }
        return id;
    }

    /** Reads a diffusers {@code tokenizer/} (or {@code tokenizer_2/}) folder. */
    public static ClipBpeTokenizer load(Path dir) {
        Path vocabFile = dir.resolve("vocab.json");
        Path mergesFile = dir.resolve("merges.txt");
        try {
            Map<String, Integer> vocab = new HashMap<>();
            for (Map.Entry<String, JsonElement> e : parse(vocabFile).entrySet()) {
                vocab.put(e.getKey(), e.getValue().getAsInt());
            }
            Map<String, Integer> ranks = new HashMap<>();
            List<String> lines = Files.readAllLines(mergesFile, StandardCharsets.UTF_8);
            int first = !lines.isEmpty() && lines.get(0).startsWith("#version") ? 1 : 0;
            for (int i = first; i < lines.size() && ranks.size() < MERGES_USED; i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty()) {
                    ranks.putIfAbsent(line, ranks.size());
                }
            }
            return new ClipBpeTokenizer(vocab, ranks, padToken(dir.resolve("special_tokens_map.json")), dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the tokenizer in " + dir + " (" + e.getMessage()
                    + "): the folder needs vocab.json and merges.txt, as a diffusers checkpoint's tokenizer/ has", e);
        }
    }

    private static JsonObject parse(Path file) throws IOException {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(file.getFileName() + " is not a JSON object", e);
        }
    }

    private static String padToken(Path specialTokens) throws IOException {
        if (!Files.exists(specialTokens)) {
            return "<|endoftext|>";
        }
        JsonElement pad = parse(specialTokens).get("pad_token");
        if (pad == null || pad.isJsonNull()) {
            return "<|endoftext|>";
        }
        return pad.isJsonObject() ? pad.getAsJsonObject().get("content").getAsString() : pad.getAsString();
    }

    @Override
    public long[] encode(String prompt) {
        String text = prompt.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        List<Integer> ids = new ArrayList<>();
        Matcher m = PIECES.matcher(text);
        while (m.find()) {
            ids.addAll(cache.computeIfAbsent(m.group(), this::bpeIds));
        }
        return PromptTokenizer.frame(ids, padId);
    }

    private List<Integer> bpeIds(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        List<String> word = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            word.add(String.valueOf(BYTE_TO_CHAR[b & 0xff]));
        }
        word.set(word.size() - 1, word.get(word.size() - 1) + "</w>");
        while (word.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer r = mergeRanks.get(word.get(i) + " " + word.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            String a = word.get(best);
            String b = word.get(best + 1);
            List<String> merged = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); i++) { // every occurrence of the pair, left to right
                if (i + 1 < word.size() && word.get(i).equals(a) && word.get(i + 1).equals(b)) {
                    merged.add(a + b);
                    i++;
                } else {
                    merged.add(word.get(i));
                }
            }
            word = merged;
        }
        List<Integer> ids = new ArrayList<>(word.size());
        for (String symbol : word) {
            ids.add(vocab.getOrDefault(symbol, unknownId));
        }
        return ids;
    }

    /** GPT-2's reversible byte-to-character map: printable Latin-1 bytes map to themselves, the rest to 256+. */
    private static char[] byteAlphabet() {
        char[] map = new char[256];
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xa1; b <= 0xac; b++) {
            printable[b] = true;
        }
        for (int b = 0xae; b <= 0xff; b++) {
            printable[b] = true;
        }
        int next = 256;
        for (int b = 0; b < 256; b++) {
            map[b] = printable[b] ? (char) b : (char) next++;
        }
        return map;
    }

    public int padId() {
        return padId;
    }

    @Override
    public String description() {
        return "CLIP BPE tokenizer from " + source + " (pad id " + padId + ")";
    }
}
