package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;

import java.util.List;

import static diffbench.torchscript.code.Torch.groupNorm;
import static diffbench.torchscript.code.Torch.self;

/** {@code nn.GroupNorm} with affine weight and bias over the channel dimension (dim 1). */
public final class GroupNorm extends Layer {
    private final int groups;

    public GroupNorm(int groups, long channels, double eps) {
        this.groups = groups;
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
        }
        param("weight", new long[] {channels}, Init.ones());
        param("bias", new long[] {channels}, Init.zeros());
        attribute("num_groups", (long) groups);
        attribute("eps", eps);
    }

    /** The number of groups (the config's norm_num_groups, or a fixed count diffusers gives this norm). */
    public int groups() {
        return groups;
    }

    @Override
    public String className() {
        return "GroupNorm";
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        body.ret(groupNorm(X, self("num_groups"), self("weight"), self("bias"), self("eps")));
        return List.of(forward(body));
    }
}
