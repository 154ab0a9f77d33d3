package diffbench.models.vae;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Conv2d;
import diffbench.nn.ResnetBlock2D;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Attr;
import diffbench.torchscript.code.Expr.Var;
import diffbench.torchscript.code.Stmt;

import java.util.List;

import static diffbench.torchscript.code.Torch.SELF;
import static diffbench.torchscript.code.Torch.chunk;
import static diffbench.torchscript.code.Torch.clamp;
import static diffbench.torchscript.code.Torch.invoke;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.self;
import static diffbench.torchscript.code.Torch.tuple;
import static diffbench.torchscript.code.Torch.typeAs;
import static diffbench.torchscript.code.Torch.var;

/**
 * diffusers' AutoencoderKL as one archive with two methods (docs/engine-facts.md §5):
 * <ul>
 *   <li>{@code encode(sample) -> (latent_dist.mean, latent_dist.logvar)}: the image (B, in_channels,
 *   H, W) to the posterior's mean and log-variance, each (B, latent_channels, H/f, W/f), f =
 *   {@link AutoencoderKLConfig#downscale()}; logvar clamped to [-30, 20] as diffusers does.</li>
 *   <li>{@code decode(z) -> sample}: latents (already divided by scaling_factor) to the image.</li>
 *   <li>{@code forward(z)} is {@code decode}: pipelines only decode. Through DJL, pick {@code encode}
 *   by adding an NDArray named {@code module_method:encode} to the inputs, or call
 *   {@code IValueUtils.runMethod(block, "encode", ...)}.</li>
 * </ul>
 * State_dict: {@code encoder.}, {@code decoder.}, {@code quant_conv}, {@code post_quant_conv}.
 */
public final class AutoencoderKL extends ModelLayer {
    private final AutoencoderKLConfig config;
    private final List<String> unknownConfigKeys;
    private final VaeEncoder encoder;
    private final VaeDecoder decoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;

    public AutoencoderKL(AutoencoderKLConfig config, AttentionKernel kernel) {
        this(config, kernel, List.of());
    }

    AutoencoderKL(AutoencoderKLConfig c, AttentionKernel kernel, List<String> unknownConfigKeys) {
        this.config = c;
        this.unknownConfigKeys = List.copyOf(unknownConfigKeys);
        ResnetBlock2D.Options options = new ResnetBlock2D.Options(c.normNumGroups(), 1e-6, 0, false, false,
                ResnetBlock2D.Resample.NONE, 1.0, c.activation());
        encoder = child("encoder", new VaeEncoder(c, options, kernel));
        decoder = child("decoder", new VaeDecoder(c, options, kernel));
        long moments = 2L * c.latentChannels();
        quantConv = c.useQuantConv() ? child("quant_conv", new Conv2d(moments, moments, 1, 1, 0)) : null;
        postQuantConv = c.usePostQuantConv()
                ? child("post_quant_conv", new Conv2d(c.latentChannels(), c.latentChannels(), 1, 1, 0)) : null;
    }

    public AutoencoderKLConfig config() {
        return config;
    }

    /** Keys of the config.json this VAE was built from that nothing reads (empty for built-in configs). */
    public List<String> unknownConfigKeys() {
        return unknownConfigKeys;
    }

    @Override
    public String className() {
        return structuralName("AutoencoderKL");
    }

    @Override
    protected List<ScriptMethod> methods() {
        return List.of(
                new ScriptMethod("forward", List.of(Argument.tensor("z")), "Tensor", forwardBody()),
                new ScriptMethod("encode", List.of(Argument.tensor("sample")), "Tuple[Tensor, Tensor]", encodeBody()),
                new ScriptMethod("decode", List.of(Argument.tensor("z")), "Tensor", decodeBody()));
    }

    private static List<Stmt> forwardBody() {
        Body body = new Body();
        body.ret(invoke(SELF, "decode", List.of(var("z"))));
        return body.statements();
    }

    // inputs of any float type run in the weights' dtype (Java keeps images and latents in fp32)
    private List<Stmt> encodeBody() {
        Body body = new Body();
        Var sample = body.let("sample", typeAs(var("sample"), convInWeight("encoder")));
        Var h = body.let("h", call("encoder", sample));
        if (quantConv != null) {
            h = body.let("h", call("quant_conv", h));
        }
        List<Var> moments = body.unpack(chunk(h, 2, 1), "mean", "logvar");
        // diffusers' DiagonalGaussianDistribution clamps the log-variance to [-30, 20]
        body.ret(tuple(moments.get(0), clamp(moments.get(1), num(-30.0), num(20.0))));
        return body.statements();
    }

    private List<Stmt> decodeBody() {
        Body body = new Body();
        Var z = body.let("z", typeAs(var("z"), convInWeight("decoder")));
        if (postQuantConv != null) {
            z = body.let("z", call("post_quant_conv", z));
        }
        body.ret(call("decoder", z));
        return body.statements();
    }

    /** {@code self.<half>.conv_in.weight}: its dtype is the one the whole half runs in. */
    private static Expr convInWeight(String half) {
        return new Attr(new Attr(self(half), "conv_in"), "weight");
    }

    /** Shape of the latents (each of mean and logvar) for an image of shape (B, C, H, W). */
    public long[] latentShape(long[] image) {
        long[] m = encoder.outputShape(image);
        return new long[] {m[0], config.latentChannels(), m[2], m[3]};
    }

    /** Shape of the image decoded from latents (B, latent_channels, h, w). */
    public long[] imageShape(long[] latents) {
        return decoder.outputShape(latents);
    }

    /** FLOPs of {@code encode} for an image of shape (B, C, H, W). */
    public long encodeFlops(long[] image) {
        long[] m = encoder.outputShape(image);
        return encoder.flops(image) + (quantConv != null ? quantConv.flops(m) : 0);
    }

    /** FLOPs of {@code decode} for latents of shape (B, latent_channels, h, w). */
    public long decodeFlops(long[] latents) {
        return (postQuantConv != null ? postQuantConv.flops(latents) : 0) + decoder.flops(latents);
    }
}
