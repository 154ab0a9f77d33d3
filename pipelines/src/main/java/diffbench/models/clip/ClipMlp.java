package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.Linear;
import diffbench.torchscript.ScriptMethod;

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
        return List.of(forwardText(List.of(
                "h = " + callText("fc1", "x"),
                "return " + callText("fc2", act.applyText("h")))));
    }

    long flops(long batch, long tokens) {
        return 2L * 2L * batch * tokens * dim * intermediate;
    }
}
