package diffbench.pipeline.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.List;

/**
 * Prompt text to CLIP text-encoder input ids: {@code <|startoftext|>} (49406), the prompt's tokens
 * (truncated to 75), {@code <|endoftext|>} (49407), then padding to 77.
 */
public interface PromptTokenizer {
    int BOS = 49406;
    int EOS = 49407;
    int MAX_LENGTH = 77;

    /** The 77 ids of one prompt. */
    long[] encode(String prompt);

    /** What this tokenizer is, for the run's output (says when it is not CLIP's BPE). */
    String description();

    /** {@code input_ids} (B, 77) int64. */
    default NDArray encode(NDManager manager, List<String> prompts) {
        long[] all = new long[prompts.size() * MAX_LENGTH];
        for (int i = 0; i < prompts.size(); i++) {
            System.arraycopy(encode(prompts.get(i)), 0, all, i * MAX_LENGTH, MAX_LENGTH);
        }
        return manager.create(all, new Shape(prompts.size(), MAX_LENGTH));
    }

    /** [BOS, tokens (at most 75), EOS, pad...]. */
    static long[] frame(List<Integer> tokens, int padId) {
        long[] ids = new long[MAX_LENGTH];
        Arrays.fill(ids, padId);
        ids[0] = BOS;
        int n = Math.min(tokens.size(), MAX_LENGTH - 2);
        for (int i = 0; i < n; i++) {
            ids[1 + i] = tokens.get(i);
        }
        ids[1 + n] = EOS;
        return ids;
    }
}
