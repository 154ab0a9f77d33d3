package diffbench.models.controlnet;

import diffbench.models.unet.UNetBase;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Conv2d;
import diffbench.nn.LayerList;
import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
        return arguments().stream().map(a -> a.substring(0, a.indexOf(':'))).toList();
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

    private List<String> arguments() {
        List<String> a = new ArrayList<>(textArguments());
        a.add("controlnet_cond: Tensor");
        a.add("conditioning_scale: Tensor");
        a.addAll(extraConditioningArguments());
        return a;
    }

    @Override
    protected List<ScriptMethod> methods() {
        List<String> s = new ArrayList<>(embeddingLines());
        s.add("controlnet_cond = torch.type_as(controlnet_cond, self.conv_in.weight)");
        String cond = "bgr".equals(controlConfig.controlnetConditioningChannelOrder())
                ? "torch.flip(controlnet_cond, [1])" : "controlnet_cond";
        s.add("h0 = torch.add(" + convInExpression() + ", " + callText("controlnet_cond_embedding", cond) + ")");
        DownPass down = downPass("h0");
        s.addAll(down.lines());
        s.add("h = " + midCall(down.output()));
        List<String> outs = new ArrayList<>();
        for (int k = 0; k < skipCount; k++) {
            s.add("c" + k + " = torch.mul(" + LayerList.callItemText("controlnet_down_blocks", k, down.skips().get(k))
                    + ", conditioning_scale)");
            outs.add("c" + k);
        }
        s.add("m = torch.mul(" + callText("controlnet_mid_block", "h") + ", conditioning_scale)");
        outs.add("m");
        String type = "Tuple[" + String.join(", ", Collections.nCopies(outs.size(), "Tensor")) + "]";
        s.add("return (" + String.join(", ", outs) + ")");
        return List.of(ScriptMethod.legacy("forward", arguments(), type, s));
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
