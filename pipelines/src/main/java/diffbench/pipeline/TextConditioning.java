package diffbench.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import diffbench.pipeline.text.PromptTokenizer;
import diffbench.runtime.Network;

import java.util.List;

/**
 * Prompt encoding under classifier-free guidance: the negative ("") and positive prompts go through
 * the text encoder once per call, and each is repeated for the batch: rows [negative x B, positive x B].
 */
final class TextConditioning {
    private TextConditioning() {
    }

    /** The encoder outputs (fp32) for ["", prompt], rows 0 and 1. */
    static NDList encodePair(Network encoder, PromptTokenizer tokenizer, NDManager m, String prompt) {
        NDArray ids = tokenizer.encode(m, List.of("", prompt));
        return PipelineSession.run(encoder, ids);
    }

    /** (2, ...) [negative, positive] to (2B, ...) [negative x B, positive x B]. */
    static NDArray forBatch(NDArray pair, int batch) {
        NDList halves = pair.split(2, 0);
        return halves.get(0).repeat(0, batch).concat(halves.get(1).repeat(0, batch), 0);
    }
}
