package diffbench.models.vae;

import diffbench.models.ModelLayer;
import diffbench.nn.LayerList;
import diffbench.nn.ResnetBlock2D;
import diffbench.nn.Upsample2D;
import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;

/** One decoder level: layers_per_block + 1 resnets (the first changes the width), then nearest x2 + conv except at the last level. */
final class UpDecoderBlock2D extends ModelLayer {
    private final LayerList<ResnetBlock2D> resnets;
    private final Upsample2D upsampler;

    UpDecoderBlock2D(long in, long out, int resnetCount, boolean upsample, ResnetBlock2D.Options options) {
        List<ResnetBlock2D> blocks = new ArrayList<>();
        for (int i = 0; i < resnetCount; i++) {
            blocks.add(new ResnetBlock2D(i == 0 ? in : out, out, options));
        }
        resnets = child("resnets", new LayerList<>(blocks));
        upsampler = upsample ? new Upsample2D(out) : null;
        if (upsample) {
            child("upsamplers", new LayerList<>(List.of(upsampler)));
        }
    }

    @Override
    public String className() {
        return structuralName("VaeUpDecoderBlock2D", resnets.size());
    }

    @Override
    protected List<ScriptMethod> methods() {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < resnets.size(); i++) {
            s.add("x = " + LayerList.callItem("resnets", i, "x"));
        }
        s.add(upsampler != null ? "return " + LayerList.callItem("upsamplers", 0, "x") : "return x");
        return List.of(forward(s));
    }

    long[] outputShape(long[] x) {
        for (ResnetBlock2D r : resnets.items()) {
            x = r.outputShape(x);
        }
        return upsampler != null ? upsampler.outputShape(x) : x;
    }

    long flops(long[] x) {
        long f = 0;
        for (ResnetBlock2D r : resnets.items()) {
            f += r.flops(x);
            x = r.outputShape(x);
        }
        return upsampler != null ? f + upsampler.flops(x) : f;
    }
}
