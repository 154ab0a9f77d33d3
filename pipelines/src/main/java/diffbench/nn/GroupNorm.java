package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.List;

/** {@code nn.GroupNorm} with affine weight and bias over the channel dimension (dim 1). */
public final class GroupNorm extends Layer {
    public GroupNorm(int groups, long channels, double eps) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into " + groups + " groups");
        }
        param("weight", new long[] {channels}, Init.ones());
        param("bias", new long[] {channels}, Init.zeros());
        attribute("num_groups", (long) groups);
        attribute("eps", eps);
    }

    @Override
    public String className() {
        return "GroupNorm";
    }

    @Override
    protected List<ScriptMethod> methods() {
        return List.of(forward(List.of("return torch.group_norm(x, self.num_groups, self.weight, self.bias, self.eps, True)")));
    }
}
