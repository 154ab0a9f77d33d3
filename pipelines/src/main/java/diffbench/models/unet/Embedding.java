package diffbench.models.unet;

import diffbench.models.ModelLayer;
import diffbench.nn.Init;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.ScalarType;

import java.util.List;

import static diffbench.torchscript.code.Torch.embedding;
import static diffbench.torchscript.code.Torch.self;
import static diffbench.torchscript.code.Torch.to;

/**
 * {@code nn.Embedding} ({@code weight} [count, dim]): the x4 upscaler's noise-level class embedding.
 * Indices are cast to int64, so a float noise level works too.
 */
public final class Embedding extends ModelLayer {
    private final long count;

    public Embedding(long count, long dim) {
        this.count = count;
        param("weight", new long[] {count, dim}, Init.normal(1.0)); // nn.Embedding's own init, N(0, 1)
    }

    public long count() {
        return count;
    }

    @Override
    public String className() {
        return "Embedding";
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        body.ret(embedding(self("weight"), to(X, ScalarType.INT64)));
        return List.of(forward(body));
    }
}
