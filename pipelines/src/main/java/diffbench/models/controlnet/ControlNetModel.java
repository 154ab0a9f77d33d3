package diffbench.models.controlnet;

import diffbench.models.unet.UNetBase;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Conv2d;
import diffbench.nn.LayerList;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Var;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static diffbench.torchscript.code.Torch.add;
import static diffbench.torchscript.code.Torch.flip;
import static diffbench.torchscript.code.Torch.mul;
import static diffbench.torchscript.code.Torch.typeAs;
import static diffbench.torchscript.code.Torch.var;

/**
 * diffusers' ControlNetModel: the encoder half of the UNet (its {@code conv_in}, embeddings, down
 * blocks and mid block, built by the same code as the UNet's), plus {@code controlnet_cond_embedding}
 * added to {@code conv_in}'s output, a 1x1 conv per skip ({@code controlnet_down_blocks.N}) and one on
 * the mid output ({@code controlnet_mid_block}).
 *
 * <p>{@code forward(sample, timestep, encoder_hidden_states, controlnet_cond, conditioning_scale
 * [, class_labels][, text_embeds, time_ids]) -> (down_block_res_samples.0, ..., down_block_res_samples.N-1,
 * mid_block_res_sample)}, every output multiplied by {@code conditioning_scale} (a 0-d tensor).
 * {@code controlnet_cond} is the control image at 8x the latent resolution (RGB in [0, 1]).
 *
 * <p>Synthetic init of the "zero convs": diffusers initialises them (and the conditioning
 * embedding's {@code conv_out}) to zero for training, but trained checkpoints hold non-zero values.
 * Here they take the same variance-preserving init as every conv, so synthetic residuals are
 * non-zero and depend on the inputs: the UNet's additions do real work and tests can see the wiring.
 * (Throughput does not depend on the values.)
 */
public final class ControlNetModel extends UNetBase {
    /** forward's control arguments, as diffusers names them. */
    private static final Var CONTROLNET_COND = var("controlnet_cond");
    private static final Var CONDITIONING_SCALE = var("conditioning_scale");
    private final ControlNetConfig controlConfig;
    private final ControlNetConditioningEmbedding condEmbedding;
    private final List<Conv2d> zeroConvs = new ArrayList<>();
    private final Conv2d midZeroConv;
    private final int skipCount;

    public ControlNetModel(ControlNetConfig config, AttentionKernel kernel) {
        super(config.unet(), kernel);
        this.controlConfig = config;
        declareInputAndEmbeddings();
        condEmbedding = child("controlnet_cond_embedding", new ControlNetConditioningEmbedding(
                config.conditioningChannels(), config.conditioningEmbeddingOutChannels(),
                config.unet().blockOutChannels().get(0)));
        declareDownBlocks();
        long size = 1L << config.unet().blocks(); // any size the down pass divides; only widths are used
        for (long[] skip : skipShapes(new long[] {1, config.unet().inChannels(), size, size})) {
            zeroConvs.add(new Conv2d(skip[1], skip[1], 1, 1, 0));
        }
        skipCount = zeroConvs.size();
        child("controlnet_down_blocks", new LayerList<>(zeroConvs));
        int last = config.unet().blockOutChannels().get(config.unet().blocks() - 1);
        midZeroConv = child("controlnet_mid_block", new Conv2d(last, last, 1, 1, 0));
        declareMidBlock();
    }

    public ControlNetConfig controlNetConfig() {
        return controlConfig;
    }

    /** Number of down-block residuals (12 for SD 1.5); the mid residual follows them. */
    public int downResidualCount() {
        return skipCount;
    }

    @Override
    public String className() {
        return "ControlNetModel";
    }

    /** The forward arguments in order, as diffusers names them (added_cond_kwargs flattened). */
    public List<String> forwardArgumentNames() {
        return arguments().stream().map(Argument::name).toList();
    }

    /** The output names in order (docs/engine-facts.md §5). */
    public List<String> outputNames() {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < skipCount; k++) {
            names.add("down_block_res_samples." + k);
        }
        names.add("mid_block_res_sample");
        return names;
    }

    private List<Argument> arguments() {
        List<Argument> a = new ArrayList<>(textArguments());
        a.add(Argument.tensor(CONTROLNET_COND.name()));
        a.add(Argument.tensor(CONDITIONING_SCALE.name()));
        a.addAll(extraConditioningArguments());
        return a;
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Conditioning c = embed(body);
        Var cond = body.let(CONTROLNET_COND.name(), typeAs(CONTROLNET_COND, convInWeight()));
        Expr rgb = "bgr".equals(controlConfig.controlnetConditioningChannelOrder()) ? flip(cond, 1) : cond;
        Var h0 = body.let("h0", add(convInOnSample(), call("controlnet_cond_embedding", rgb)));
        DownPass down = downPass(body, h0, c);
        Var h = body.let("h", midCall(down.output(), c));
        List<Expr> outs = new ArrayList<>();
        for (int k = 0; k < skipCount; k++) {
            outs.add(body.let("c" + k, mul(LayerList.callItem("controlnet_down_blocks", k, down.skips().get(k)),
                    CONDITIONING_SCALE)));
        }
        outs.add(body.let("m", mul(call("controlnet_mid_block", h), CONDITIONING_SCALE)));
        String type = "Tuple[" + String.join(", ", Collections.nCopies(outs.size(), "Tensor")) + "]";
        body.ret(new Expr.TupleOf(outs));
        return List.of(new ScriptMethod("forward", arguments(), type, body.statements()));
    }

    /** FLOPs of one forward for an NCHW latent sample (the control image is 8x its size). */
    @Override
    public long flops(long[] sample, long contextTokens) {
        long[] image = {sample[0], controlConfig.conditioningChannels(), sample[2] * 8, sample[3] * 8};
        long f = sharedFlops(sample, contextTokens) + condEmbedding.flops(image);
        List<long[]> skips = skipShapes(sample);
        for (int k = 0; k < skipCount; k++) {
            f += zeroConvs.get(k).flops(skips.get(k));
        }
        return f + midZeroConv.flops(skips.get(skips.size() - 1));
    }
}
