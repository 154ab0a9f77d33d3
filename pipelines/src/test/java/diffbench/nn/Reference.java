package diffbench.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * The diffusers computations written with DJL NDArray operations, from named weights: the
 * reference the emitted TorchScript is checked against. Normalisations, attention and GEGLU are
 * composed from elementwise and matmul primitives, not the aten kernels the modules call.
 */
final class Reference {
    private final Function<String, NDArray> w;

    Reference(Map<String, NDArray> weights) {
        this.w = name -> {
            NDArray a = weights.get(name);
            if (a == null) {
                throw new AssertionError("reference needs " + name + "; module has " + weights.keySet());
            }
            return a;
        };
    }

    NDArray conv(String p, NDArray x, int stride, int pad) {
        return Conv2d.conv2d(x, w.apply(p + "weight"), w.apply(p + "bias"), new Shape(stride, stride),
                new Shape(pad, pad), new Shape(1, 1), 1).singletonOrThrow();
    }

    NDArray linear(String p, NDArray x, boolean bias) {
        NDArray y = x.matMul(w.apply(p + "weight").transpose());
        return bias ? y.add(w.apply(p + "bias")) : y;
    }

    /** GroupNorm over dim 1 of (N, C, ...): mean and biased variance per (sample, group). */
    NDArray groupNorm(String p, NDArray x, int groups, double eps) {
        Shape s = x.getShape();
        NDArray g = x.reshape(s.get(0), groups, -1);
        NDArray mean = g.mean(new int[] {2}, true);
        NDArray var = g.sub(mean).square().mean(new int[] {2}, true);
        NDArray n = g.sub(mean).div(var.add(eps).sqrt()).reshape(s);
        long[] bshape = new long[s.dimension()];
        Arrays.fill(bshape, 1);
        bshape[1] = s.get(1);
        return n.mul(w.apply(p + "weight").reshape(bshape)).add(w.apply(p + "bias").reshape(bshape));
    }

    NDArray layerNorm(String p, NDArray x, double eps) {
        int last = x.getShape().dimension() - 1;
        NDArray mean = x.mean(new int[] {last}, true);
        NDArray var = x.sub(mean).square().mean(new int[] {last}, true);
        return x.sub(mean).div(var.add(eps).sqrt()).mul(w.apply(p + "weight")).add(w.apply(p + "bias"));
    }

    static NDArray silu(NDArray x) {
        return x.mul(x.neg().exp().add(1).pow(-1));
    }

    /** Exact GELU through the erf identity, with erf from Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7). */
    static NDArray gelu(NDArray x) {
        NDArray z = x.div(Math.sqrt(2));
        NDArray a = z.abs();
        NDArray t = a.mul(0.3275911).add(1).pow(-1);
        NDArray poly = t.mul(1.061405429).add(-1.453152027).mul(t).add(1.421413741).mul(t).add(-0.284496736).mul(t)
                .add(0.254829592).mul(t);
        NDArray erfAbs = poly.mul(a.square().neg().exp()).neg().add(1);
        NDArray erf = erfAbs.mul(z.sign());
        return x.mul(erf.add(1)).mul(0.5);
    }

    /** softmax(q k^T / sqrt(d)) v over heads; q, k, v of (B, L, H*D). */
    static NDArray attend(NDArray q, NDArray k, NDArray v, long heads) {
        long b = q.getShape().get(0);
        long inner = q.getShape().get(2);
        long d = inner / heads;
        NDArray qh = q.reshape(b, -1, heads, d).transpose(0, 2, 1, 3);
        NDArray kh = k.reshape(b, -1, heads, d).transpose(0, 2, 1, 3);
        NDArray vh = v.reshape(b, -1, heads, d).transpose(0, 2, 1, 3);
        NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).div(Math.sqrt(d));
        NDArray m = scores.max(new int[] {3}, true);
        NDArray e = scores.sub(m).exp();
        NDArray attn = e.div(e.sum(new int[] {3}, true));
        return attn.matMul(vh).transpose(0, 2, 1, 3).reshape(b, -1, inner);
    }

    NDArray attention(String p, NDArray x, NDArray context, long heads) {
        NDArray out = attend(linear(p + "to_q.", x, false), linear(p + "to_k.", context, false),
                linear(p + "to_v.", context, false), heads);
        return linear(p + "to_out.0.", out, true);
    }

    NDArray feedForward(String p, NDArray x) {
        NDArray h = linear(p + "net.0.proj.", x, true);
        NDArray[] halves = h.split(2, h.getShape().dimension() - 1).toArray(new NDArray[0]);
        return linear(p + "net.2.", halves[0].mul(gelu(halves[1])), true);
    }

    NDArray transformerBlock(String p, NDArray x, NDArray context, long heads, boolean onlyCross) {
        NDArray h = layerNorm(p + "norm1.", x, 1e-5);
        NDArray x1 = attention(p + "attn1.", h, onlyCross ? context : h, heads).add(x);
        NDArray x2 = attention(p + "attn2.", layerNorm(p + "norm2.", x1, 1e-5), context, heads).add(x1);
        return feedForward(p + "ff.", layerNorm(p + "norm3.", x2, 1e-5)).add(x2);
    }

    NDArray transformer2d(String p, NDArray x, NDArray context, long heads, int layers, boolean linearProj, int groups) {
        Shape s = x.getShape();
        long b = s.get(0), c = s.get(1), h = s.get(2), wd = s.get(3);
        NDArray y = groupNorm(p + "norm.", x, groups, 1e-6);
        NDArray t = linearProj
                ? linear(p + "proj_in.", y.transpose(0, 2, 3, 1).reshape(b, h * wd, c), true)
                : conv(p + "proj_in.", y, 1, 0).transpose(0, 2, 3, 1).reshape(b, h * wd, c);
        for (int i = 0; i < layers; i++) {
            t = transformerBlock(p + "transformer_blocks." + i + ".", t, context, heads, false);
        }
        NDArray o = linearProj
                ? linear(p + "proj_out.", t, true).reshape(b, h, wd, c).transpose(0, 3, 1, 2)
                : conv(p + "proj_out.", t.reshape(b, h, wd, c).transpose(0, 3, 1, 2), 1, 0);
        return o.add(x);
    }

    /**
     * diffusers' Attention with added_kv_proj_dim (AttnAddedKVProcessor): group_norm over the map
     * ({@code groups}), norm_cross over the text's channels (32 groups), text keys/values before the
     * image's own, output projection, residual add.
     */
    NDArray addedKvAttention(String p, NDArray x, NDArray context, long headDim, int groups, boolean onlyCross) {
        Shape s = x.getShape();
        long b = s.get(0), c = s.get(1);
        NDArray t = groupNorm(p + "group_norm.", x, groups, 1e-5).reshape(b, c, -1).transpose(0, 2, 1);
        NDArray ctx = groupNorm(p + "norm_cross.", context.transpose(0, 2, 1), 32, 1e-5).transpose(0, 2, 1);
        NDArray k = linear(p + "add_k_proj.", ctx, true);
        NDArray v = linear(p + "add_v_proj.", ctx, true);
        if (!onlyCross) {
            k = k.concat(linear(p + "to_k.", t, true), 1);
            v = v.concat(linear(p + "to_v.", t, true), 1);
        }
        NDArray out = linear(p + "to_out.0.", attend(linear(p + "to_q.", t, true), k, v, c / headDim), true);
        return out.transpose(0, 2, 1).reshape(s).add(x);
    }

    static NDArray upsampleNearest(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    static NDArray avgPool(NDArray x) {
        return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
    }

    NDArray resnet(String p, NDArray x, NDArray temb, boolean shortcut, ResnetBlock2D.Resample resample, double eps) {
        NDArray h = silu(groupNorm(p + "norm1.", x, 32, eps));
        if (resample == ResnetBlock2D.Resample.UP) {
            x = upsampleNearest(x);
            h = upsampleNearest(h);
        } else if (resample == ResnetBlock2D.Resample.DOWN) {
            x = avgPool(x);
            h = avgPool(h);
        }
        h = conv(p + "conv1.", h, 1, 1);
        if (temb != null) {
            NDArray t = linear(p + "time_emb_proj.", silu(temb), true);
            h = h.add(t.expandDims(2).expandDims(3));
        }
        h = conv(p + "conv2.", silu(groupNorm(p + "norm2.", h, 32, eps)), 1, 1);
        return (shortcut ? conv(p + "conv_shortcut.", x, 1, 0) : x).add(h);
    }

    /** diffusers' sinusoid with flip_sin_to_cos and freq_shift 0. */
    static NDArray timesteps(NDArray t, long dim) {
        long half = dim / 2;
        NDArray k = t.getManager().arange(0f, (float) half, 1f);
        NDArray freqs = k.mul(-Math.log(10000) / half).exp();
        NDArray arg = t.toType(DataType.FLOAT32, false).expandDims(1).mul(freqs.expandDims(0));
        return NDArrays.concat(new NDList(arg.cos(), arg.sin()), 1);
    }
}
