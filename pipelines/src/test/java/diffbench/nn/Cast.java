package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.StorageType;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Casts fp32 inputs to a low-precision layer's dtype and its output back to fp32, inside
 * TorchScript. Needed because DJL's own 2.7.1 JNI aborts the process on a bfloat16 dtype code, so
 * tests never create bf16 NDArrays on the Java side. Parameters appear under {@link #PREFIX}.
 */
final class Cast extends Layer {
    static final String PREFIX = "m.0.";
    private final List<String> args;
    private final int scalarType;

    Cast(Layer inner, StorageType type, String... args) {
        this.args = args.length == 0 ? List.of("x") : List.of(args);
        this.scalarType = type == StorageType.FLOAT16 ? 5 : 15;
        child("m", LayerList.sparse(Map.of(0, inner)));
    }

    @Override
    public String className() {
        return "Cast" + scalarType + "_" + children().get("m").children().get("0").className() + "_" + args.size();
    }

    @Override
    protected List<ScriptMethod> methods() {
        String casted = args.stream().map(a -> "torch.to(" + a + ", " + scalarType + ")").collect(Collectors.joining(", "));
        return List.of(ScriptMethod.legacy("forward", args.stream().map(a -> a + ": Tensor").collect(Collectors.toList()),
                "Tensor", List.of("return torch.to(" + LayerList.callItemText("m", 0, casted) + ", 6)")));
    }
}
