package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.LayerNorm;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;
import diffbench.torchscript.code.ScalarType;

import java.util.List;

import static diffbench.torchscript.code.Torch.argmax;
import static diffbench.torchscript.code.Torch.eq;
import static diffbench.torchscript.code.Torch.expand;
import static diffbench.torchscript.code.Torch.gather;
import static diffbench.torchscript.code.Torch.item;
import static diffbench.torchscript.code.Torch.list;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.reshape;
import static diffbench.torchscript.code.Torch.self;
import static diffbench.torchscript.code.Torch.size;
import static diffbench.torchscript.code.Torch.to;
import static diffbench.torchscript.code.Torch.tuple;
import static diffbench.torchscript.code.Torch.var;

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
        Var inputIds = var("input_ids");
        Body body = new Body();
        Var states = body.let("states", call("encoder", call("embeddings", inputIds)));
        Var last = body.let("last", call("final_layer_norm", item(states, encoder.depth())));
        // argmax of an int mask is the first position holding eos_token_id (see poolsAtArgmax)
        Var eot = body.let("eot", config.poolsAtArgmax() ? argmax(inputIds, -1)
                : argmax(to(eq(inputIds, self("eos_token_id")), ScalarType.INT32), -1));
        Var b = body.let("b", size(last, 0));
        Var d = body.let("d", size(last, 2));
        Var index = body.let("index", expand(reshape(eot, list(b, num(1), num(1))), list(b, num(1), d)));
        Var pooled = body.let("pooled", reshape(gather(last, 1, index), list(b, d)));
        body.ret(tuple(last, pooled, states));
        return List.of(new ScriptMethod("forward", List.of(Argument.tensor("input_ids")),
                "Tuple[Tensor, Tensor, List[Tensor]]", body.statements()));
    }

    long flops(long batch, long tokens) {
        return encoder.flops(batch, tokens);
    }
}
