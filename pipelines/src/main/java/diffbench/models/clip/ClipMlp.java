package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.Linear;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

/** {@code mlp.}: fc1 (width → intermediate), the config's activation, fc2 back. */
final class ClipMlp extends ModelLayer {
    private final long dim;
    private final long intermediate;
    private final HiddenAct act;

    ClipMlp(long dim, long intermediate, HiddenAct act) {
        this.dim = dim;
        this.intermediate = intermediate;
        this.act = act;
        child("fc1", new Linear(dim, intermediate));
        child("fc2", new Linear(intermediate, dim));
    }

    @Override
    public String className() {
        return "ClipMlp_" + act.configName();
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Var h = body.let("h", call("fc1", X));
        body.ret(call("fc2", act.apply(h)));
        return List.of(forward(body));
    }

    long flops(long batch, long tokens) {
        return 2L * 2L * batch * tokens * dim * intermediate;
    }
}
