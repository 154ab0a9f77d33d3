package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.LayerList;
import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;

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
        List<String> s = new ArrayList<>();
        s.add("states = [x]");
        for (int i = 0; i < layers.size(); i++) {
            s.add("x = " + LayerList.callItemText("layers", i, "x"));
            s.add("states.append(x)");
        }
        s.add("return states");
        return List.of(ScriptMethod.legacy("forward", List.of("x: Tensor"), "List[Tensor]", s));
    }

    long flops(long batch, long tokens) {
        return layers.items().stream().mapToLong(l -> l.flops(batch, tokens)).sum();
    }
}
