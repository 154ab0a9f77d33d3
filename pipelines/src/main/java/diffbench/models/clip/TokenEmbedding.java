package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.Init;
import diffbench.torchscript.ScriptMethod;

import java.util.List;

/** {@code nn.Embedding}: a table of {@code count} rows of width {@code dim}, looked up by int64 ids. */
final class TokenEmbedding extends ModelLayer {
    TokenEmbedding(long count, long dim) {
        // transformers draws CLIP's embeddings from N(0, 0.02²); the pre-LN layers rescale what follows
        param("weight", new long[] {count, dim}, Init.normal(0.02));
    }

    @Override
    public String className() {
        return "ClipEmbedding";
    }

    @Override
    protected List<ScriptMethod> methods() {
        return List.of(forwardText(List.of("return torch.embedding(self.weight, x, -1, False, False)")));
    }
}
