package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.LayerList;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.ArrayList;
import java.util.List;

import static diffbench.torchscript.code.Torch.list;

/** {@code encoder.layers.N}: runs the layers in turn and returns every hidden state, the input first (L + 1 tensors). */
final class ClipEncoder extends ModelLayer {
    private final LayerList<ClipEncoderLayer> layers;

    ClipEncoder(CLIPTextConfig c, AttentionKernel kernel) {
        List<ClipEncoderLayer> list = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            list.add(new ClipEncoderLayer(c, kernel));
        }
        layers = child("layers", new LayerList<>(list));
    }

    int depth() {
        return layers.size();
    }

    @Override
    public String className() {
        return structuralName("ClipEncoder");
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Var states = body.let("states", list(X));
        Var x = X;
        for (int i = 0; i < layers.size(); i++) {
            x = body.let("x", LayerList.callItem("layers", i, x));
            body.append(states, x);
        }
        body.ret(states);
        return List.of(new ScriptMethod("forward", List.of(Argument.tensor("x")), "List[Tensor]", body.statements()));
    }

    long flops(long batch, long tokens) {
        return layers.items().stream().mapToLong(l -> l.flops(batch, tokens)).sum();
    }
}
