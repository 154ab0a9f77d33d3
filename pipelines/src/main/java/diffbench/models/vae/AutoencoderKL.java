package diffbench.models.vae;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Conv2d;
import diffbench.nn.ResnetBlock2D;
import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;

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
        // inputs of any float type run in the weights' dtype (Java keeps images and latents in fp32)
        List<String> enc = new ArrayList<>();
        enc.add("sample = torch.type_as(sample, self.encoder.conv_in.weight)");
        enc.add("h = " + callText("encoder", "sample"));
        if (quantConv != null) {
            enc.add("h = " + callText("quant_conv", "h"));
        }
        enc.add("mean, logvar, = torch.chunk(h, 2, 1)");
        enc.add("return (mean, torch.clamp(logvar, -30., 20.))");
        List<String> dec = new ArrayList<>();
        dec.add("z = torch.type_as(z, self.decoder.conv_in.weight)");
        if (postQuantConv != null) {
            dec.add("z = " + callText("post_quant_conv", "z"));
        }
        dec.add("return " + callText("decoder", "z"));
        return List.of(
                ScriptMethod.legacy("forward", List.of("z: Tensor"), "Tensor", List.of("return self.decode(z)")),
                ScriptMethod.legacy("encode", List.of("sample: Tensor"), "Tuple[Tensor, Tensor]", enc),
                ScriptMethod.legacy("decode", List.of("z: Tensor"), "Tensor", dec));
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
