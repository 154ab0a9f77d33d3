package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.StorageType;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.ScalarType;

import java.util.List;
import java.util.Map;

import static diffbench.torchscript.code.Torch.to;
import static diffbench.torchscript.code.Torch.var;

/**
 * Casts fp32 inputs to a low-precision layer's dtype and its output back to fp32, inside
 * TorchScript. Needed because DJL's own 2.7.1 JNI aborts the process on a bfloat16 dtype code, so
 * tests never create bf16 NDArrays on the Java side. Parameters appear under {@link #PREFIX}.
 */
final class Cast extends Layer {
    static final String PREFIX = "m.0.";
    private final List<String> args;
    private final ScalarType scalarType;

    Cast(Layer inner, StorageType type, String... args) {
        this.args = args.length == 0 ? List.of("x") : List.of(args);
        this.scalarType = type.scalarType();
        child("m", LayerList.sparse(Map.of(0, inner)));
    }

    @Override
    public String className() {
        return "Cast" + scalarType.code() + "_" + children().get("m").children().get("0").className() + "_" + args.size();
    }

    @Override
    protected List<ScriptMethod> methods() {
        Expr[] casted = args.stream().map(a -> to(var(a), scalarType)).toArray(Expr[]::new);
        Body body = new Body();
        body.ret(to(LayerList.callItem("m", 0, casted), ScalarType.FLOAT32));
        return List.of(new ScriptMethod("forward", ScriptMethod.Argument.tensors(args.toArray(String[]::new)), "Tensor",
                body.statements()));
    }
}
