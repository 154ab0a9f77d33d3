package diffbench.models.vae;

import diffbench.models.ModelLayer;
import diffbench.nn.Downsample2D;
import diffbench.nn.Layer;
import diffbench.nn.LayerList;
import diffbench.nn.ResnetBlock2D;
import diffbench.nn.Upsample2D;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.ArrayList;
import java.util.List;

/**
 * One VAE level, diffusers' DownEncoderBlock2D or UpDecoderBlock2D (the same structure): resnets
 * (the first changes the width), then a resampler except at the last level.
 */
final class VaeLevelBlock extends ModelLayer {
    private final String classBase;
    private final LayerList<ResnetBlock2D> resnets;
    private final String samplerList;
    private final Layer sampler;

    /** An encoder level: layers_per_block resnets, then an asymmetric-pad stride-2 conv. */
    static VaeLevelBlock down(long in, long out, int layers, boolean downsample, ResnetBlock2D.Options options) {
        return new VaeLevelBlock("VaeDownEncoderBlock2D", in, out, layers, options,
                "downsamplers", downsample ? new Downsample2D(out, true) : null);
    }

    /** A decoder level: layers_per_block + 1 resnets, then nearest x2 + conv. */
    static VaeLevelBlock up(long in, long out, int resnetCount, boolean upsample, ResnetBlock2D.Options options) {
        return new VaeLevelBlock("VaeUpDecoderBlock2D", in, out, resnetCount, options,
                "upsamplers", upsample ? new Upsample2D(out) : null);
    }

    private VaeLevelBlock(String classBase, long in, long out, int resnetCount, ResnetBlock2D.Options options,
                          String samplerList, Layer sampler) {
        this.classBase = classBase;
        List<ResnetBlock2D> blocks = new ArrayList<>();
        for (int i = 0; i < resnetCount; i++) {
            blocks.add(new ResnetBlock2D(i == 0 ? in : out, out, options));
        }
        resnets = child("resnets", new LayerList<>(blocks));
        this.samplerList = samplerList;
        this.sampler = sampler;
        if (sampler != null) {
            child(samplerList, new LayerList<>(List.of(sampler)));
        }
    }

    @Override
    public String className() {
        return structuralName(classBase, resnets.size());
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Var x = X;
        for (int i = 0; i < resnets.size(); i++) {
            x = body.let("x", LayerList.callItem("resnets", i, x));
        }
        body.ret(sampler != null ? LayerList.callItem(samplerList, 0, x) : x);
        return List.of(forward(body));
    }

    long[] outputShape(long[] x) {
        for (ResnetBlock2D r : resnets.items()) {
            x = r.outputShape(x);
        }
        if (sampler instanceof Downsample2D d) {
            return d.outputShape(x);
        }
        return sampler instanceof Upsample2D u ? u.outputShape(x) : x;
    }

    long flops(long[] x) {
        long f = 0;
        for (ResnetBlock2D r : resnets.items()) {
            f += r.flops(x);
            x = r.outputShape(x);
        }
        if (sampler instanceof Downsample2D d) {
            return f + d.flops(x);
        }
        return sampler instanceof Upsample2D u ? f + u.flops(x) : f;
    }
}
