package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.Init;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;

import java.util.List;

import static diffbench.torchscript.code.Torch.embedding;
import static diffbench.torchscript.code.Torch.self;

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
        Body body = new Body();
        body.ret(embedding(self("weight"), X));
        return List.of(forward(body));
    }
}
