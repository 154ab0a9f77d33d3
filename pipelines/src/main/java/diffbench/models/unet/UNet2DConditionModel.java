package diffbench.models.unet;

import diffbench.nn.AttentionKernel;
import diffbench.nn.Conv2d;
import diffbench.nn.GroupNorm;
import diffbench.nn.LayerList;
import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' UNet2DConditionModel as a module tree whose state_dict names and shapes are the
 * checkpoint's. Built from a {@link UNet2DConditionConfig}; see {@link UNets} for the benchmarked
 * configs.
 *
 * <p>Methods (arguments in this order, names as diffusers' forward arguments; docs/engine-facts.md §5):
 * <ul>
 * <li>{@code forward(sample, timestep, encoder_hidden_states[, class_labels][, text_embeds, time_ids])
 * -> sample}: {@code class_labels} when the config has a class embedding (x4 upscaler noise level,
 * IF-II noise level), {@code text_embeds, time_ids} (diffusers' {@code added_cond_kwargs}) for
 * addition_embed_type "text_time" (SDXL). {@code timestep} and {@code class_labels} are 0-d or
 * (batch,), int64 or float.</li>
 * <li>{@code forward_with_control(<forward's arguments>, down_block_additional_residuals:
 * List[Tensor], mid_block_additional_residual)}, for configs with CrossAttnDownBlock2D (the ControlNet
 * ones): as diffusers, residual k is added to skip k after the down pass (the mid block still gets
 * the unmodified last state) and the mid residual to the mid block's output.</li>
 * <li>{@code forward_with_control_args(<forward's arguments>, down_block_additional_residuals_0, ...,
 * down_block_additional_residuals_<n-1>, mid_block_additional_residual)}: the same with each residual
 * its own tensor argument, for callers that pass tensors only (a CUDA-graph capture).</li>
 * </ul>
 */
public final class UNet2DConditionModel extends UNetBase {
    private final LayerList<UNetUpBlock> upBlocks;
    private final Conv2d convOut;

    public UNet2DConditionModel(UNet2DConditionConfig config, AttentionKernel kernel) {
        super(config, kernel);
        declareInputAndEmbeddings();
        declareDownBlocks();
        List<UNetUpBlock> ups = new ArrayList<>();
        for (int i = 0; i < config.blocks(); i++) {
            ups.add(blockBuilder.up(i));
        }
        upBlocks = child("up_blocks", new LayerList<>(ups));
        declareMidBlock();
        int ch0 = config.blockOutChannels().get(0);
        child("conv_norm_out", new GroupNorm(config.normNumGroups(), ch0, config.normEps()));
        int k = config.convOutKernel();
        convOut = child("conv_out", new Conv2d(ch0, config.outChannels(), k, 1, (k - 1) / 2));
    }

    @Override
    public String className() {
        return "UNet2DConditionModel";
    }

    /** Whether the archive has {@code forward_with_control}. */
    public boolean acceptsControl() {
        return config.hasCrossAttnDownBlocks();
    }

    /** The forward arguments in order, as diffusers names them (added_cond_kwargs flattened). */
    public List<String> forwardArgumentNames() {
        return arguments().stream().map(a -> a.substring(0, a.indexOf(':'))).toList();
    }

    private List<String> arguments() {
        List<String> a = new ArrayList<>(textArguments());
        a.addAll(extraConditioningArguments());
        return a;
    }

    @Override
    protected List<ScriptMethod> methods() {
        List<ScriptMethod> m = new ArrayList<>();
        m.add(ScriptMethod.legacy("forward", arguments(), "Tensor", body(false)));
        if (acceptsControl()) {
            List<String> args = new ArrayList<>(arguments());
            args.add("down_block_additional_residuals: List[Tensor]");
            args.add("mid_block_additional_residual: Tensor");
            m.add(ScriptMethod.legacy("forward_with_control", args, "Tensor", body(true)));
            m.add(ScriptMethod.legacy("forward_with_control_args", flatControlArguments(), "Tensor", List.of(
                    "return self.forward_with_control(" + String.join(", ", forwardArgumentNames()) + ", ["
                            + String.join(", ", residualNames()) + "], mid_block_additional_residual)")));
        }
        return m;
    }

    /** forward's arguments, then one tensor argument per down residual and the mid residual. */
    private List<String> flatControlArguments() {
        List<String> args = new ArrayList<>(arguments());
        residualNames().forEach(n -> args.add(n + ": Tensor"));
        args.add("mid_block_additional_residual: Tensor");
        return args;
    }

    private List<String> residualNames() {
        int n = downPass("h0").skips().size();
        List<String> names = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            names.add("down_block_additional_residuals_" + k);
        }
        return names;
    }

    private List<String> body(boolean control) {
        List<String> s = new ArrayList<>(embeddingLines());
        s.add("h0 = " + convInExpression());
        DownPass down = downPass("h0");
        s.addAll(down.lines());
        List<String> skips = new ArrayList<>(down.skips());
        if (control) {
            for (int k = 0; k < skips.size(); k++) {
                s.add("r" + k + " = torch.add(" + skips.get(k) + ", down_block_additional_residuals[" + k + "])");
                skips.set(k, "r" + k);
            }
        }
        s.add("h = " + midCall(down.output()));
        if (control) {
            s.add("h = torch.add(h, mid_block_additional_residual)");
        }
        for (int i = 0; i < upBlocks.size(); i++) {
            List<String> consumed = new ArrayList<>();
            for (int j = 0; j < upBlocks.get(i).skipCount(); j++) {
                consumed.add(skips.remove(skips.size() - 1));
            }
            s.add("h = " + LayerList.callItemText("up_blocks", i, "h", "[" + String.join(", ", consumed) + "]", "emb", "ctx"));
        }
        if (!skips.isEmpty()) {
            throw new IllegalStateException("up blocks leave " + skips.size() + " skips unconsumed");
        }
        s.add("return " + callText("conv_out", config.actFn().applyText(callText("conv_norm_out", "h"))));
        return s;
    }

    /**
     * FLOPs of one forward (2 per multiply-accumulate of convs, linears and attention matmuls) for an
     * NCHW sample and {@code contextTokens} text tokens.
     */
    @Override
    public long flops(long[] sample, long contextTokens) {
        long f = sharedFlops(sample, contextTokens);
        List<long[]> skips = skipShapes(sample);
        long[] h = skips.get(skips.size() - 1);
        for (UNetUpBlock u : upBlocks.items()) {
            f += u.flops(h, contextTokens);
            h = u.outputShape(h);
        }
        return f + convOut.flops(h);
    }
}
