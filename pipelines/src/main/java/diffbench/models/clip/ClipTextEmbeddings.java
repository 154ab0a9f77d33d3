package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Attr;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

import static diffbench.torchscript.code.Torch.add;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.size;
import static diffbench.torchscript.code.Torch.slice;
import static diffbench.torchscript.code.Torch.var;

/** Token embedding plus the learned position embedding of positions 0..T-1 ({@code embeddings.}). */
final class ClipTextEmbeddings extends ModelLayer {
    ClipTextEmbeddings(CLIPTextConfig c) {
        child("token_embedding", new TokenEmbedding(c.vocabSize(), c.hiddenSize()));
        child("position_embedding", new TokenEmbedding(c.maxPositionEmbeddings(), c.hiddenSize()));
    }

    @Override
    public String className() {
        return "ClipTextEmbeddings";
    }

    @Override
    protected List<ScriptMethod> methods() {
        Var inputIds = var("input_ids");
        Body body = new Body();
        Var t = body.let("t", size(inputIds, 1));
        Var positions = body.let("positions", slice(new Attr(ref("position_embedding"), "weight"), 0, num(0), t, 1));
        body.ret(add(call("token_embedding", inputIds), positions));
        return List.of(new ScriptMethod("forward", List.of(Argument.tensor("input_ids")), "Tensor", body.statements()));
    }
}
