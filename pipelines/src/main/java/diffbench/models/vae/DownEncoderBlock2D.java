package diffbench.models.vae;

import diffbench.models.ModelLayer;
import diffbench.nn.Downsample2D;
import diffbench.nn.LayerList;
import diffbench.nn.ResnetBlock2D;
import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;

/** One encoder level: resnets (the first changes the width), then an asymmetric-pad stride-2 conv except at the last level. */
final class DownEncoderBlock2D extends ModelLayer {
    private final LayerList<ResnetBlock2D> resnets;
    private final Downsample2D downsampler;

    DownEncoderBlock2D(long in, long out, int layers, boolean downsample, ResnetBlock2D.Options options) {
        List<ResnetBlock2D> blocks = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            blocks.add(new ResnetBlock2D(i == 0 ? in : out, out, options));
        }
        resnets = child("resnets", new LayerList<>(blocks));
        downsampler = downsample ? new Downsample2D(out, true) : null;
        if (downsample) {
            child("downsamplers", new LayerList<>(List.of(downsampler)));
        }
    }

    @Override
    public String className() {
        return structuralName("VaeDownEncoderBlock2D", resnets.size());
    }

    @Override
    protected List<ScriptMethod> methods() {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < resnets.size(); i++) {
            s.add("x = " + LayerList.callItem("resnets", i, "x"));
        }
        s.add(downsampler != null ? "return " + LayerList.callItem("downsamplers", 0, "x") : "return x");
        return List.of(forward(s));
    }

    long[] outputShape(long[] x) {
        for (ResnetBlock2D r : resnets.items()) {
            x = r.outputShape(x);
        }
        return downsampler != null ? downsampler.outputShape(x) : x;
    }

    long flops(long[] x) {
        long f = 0;
        for (ResnetBlock2D r : resnets.items()) {
            f += r.flops(x);
            x = r.outputShape(x);
        }
        return downsampler != null ? f + downsampler.flops(x) : f;
    }
}
