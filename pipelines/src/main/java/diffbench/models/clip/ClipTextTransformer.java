package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.LayerNorm;
import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code text_model.}: embeddings, the causal encoder, final_layer_norm. forward(input_ids) returns
 * (last_hidden_state, pooled, hidden states): last_hidden_state is the final-norm output; pooled is
 * its row at the end-of-text token of each sequence (see {@link CLIPTextConfig#poolsAtArgmax()}).
 */
final class ClipTextTransformer extends ModelLayer {
    private final CLIPTextConfig config;
    private final ClipEncoder encoder;

    ClipTextTransformer(CLIPTextConfig c, AttentionKernel kernel) {
        this.config = c;
        child("embeddings", new ClipTextEmbeddings(c));
        encoder = child("encoder", new ClipEncoder(c, kernel));
        child("final_layer_norm", new LayerNorm(c.hiddenSize(), c.layerNormEps()));
        if (!c.poolsAtArgmax()) {
            attribute("eos_token_id", (long) c.eosTokenId());
        }
    }

    int depth() {
        return encoder.depth();
    }

    @Override
    public String className() {
        return structuralName("ClipTextTransformer", config.poolsAtArgmax());
    }

    @Override
    protected List<ScriptMethod> methods() {
        List<String> s = new ArrayList<>();
        s.add("states = " + callText("encoder", callText("embeddings", "input_ids")));
        s.add("last = " + callText("final_layer_norm", "states[" + encoder.depth() + "]"));
        s.add(config.poolsAtArgmax() ? "eot = torch.argmax(input_ids, -1)"
                : "eot = torch.argmax(torch.to(torch.eq(input_ids, self.eos_token_id), 3), -1)");
        s.add("b = torch.size(last, 0)");
        s.add("d = torch.size(last, 2)");
        s.add("index = torch.expand(torch.reshape(eot, [b, 1, 1]), [b, 1, d])");
        s.add("pooled = torch.reshape(torch.gather(last, 1, index), [b, d])");
        s.add("return (last, pooled, states)");
        return List.of(ScriptMethod.legacy("forward", List.of("input_ids: Tensor"), "Tuple[Tensor, Tensor, List[Tensor]]", s));
    }

    long flops(long batch, long tokens) {
        return encoder.flops(batch, tokens);
    }
}
