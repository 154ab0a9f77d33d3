package diffbench.models.clip;

import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Torch;

/** The MLP activations of CLIP text encoders, written inline in the MLP's source. */
public enum HiddenAct {
    /** x · sigmoid(1.702 x): OpenAI CLIP. */
    QUICK_GELU("quick_gelu"),
    /** The exact (erf) GELU: OpenCLIP. */
    GELU("gelu");

    private final String configName;

    HiddenAct(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    Expr apply(Expr x) {
        return switch (this) {
            case QUICK_GELU -> Torch.mul(x, Torch.sigmoid(Torch.mul(x, Torch.num(1.702))));
            case GELU -> Torch.gelu(x);
        };
    }

    public static HiddenAct fromConfig(String name) {
        for (HiddenAct a : values()) {
            if (a.configName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported hidden_act value '" + name + "': use quick_gelu or gelu");
    }
}
