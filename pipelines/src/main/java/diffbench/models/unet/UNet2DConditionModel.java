package diffbench.models.unet;

import diffbench.nn.AttentionKernel;
import diffbench.nn.Conv2d;
import diffbench.nn.GroupNorm;
import diffbench.nn.LayerList;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Var;
import diffbench.torchscript.code.Stmt;

import java.util.ArrayList;
import java.util.List;

import static diffbench.torchscript.code.Torch.SELF;
import static diffbench.torchscript.code.Torch.add;
import static diffbench.torchscript.code.Torch.invoke;
import static diffbench.torchscript.code.Torch.item;
import static diffbench.torchscript.code.Torch.list;
import static diffbench.torchscript.code.Torch.var;

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
    /** forward_with_control's additional arguments, as diffusers names them. */
    private static final Var DOWN_RESIDUALS = var("down_block_additional_residuals");
    private static final Var MID_RESIDUAL = var("mid_block_additional_residual");
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
        return arguments().stream().map(Argument::name).toList();
    }

    private List<Argument> arguments() {
        List<Argument> a = new ArrayList<>(textArguments());
        a.addAll(extraConditioningArguments());
        return a;
    }

    @Override
    protected List<ScriptMethod> methods() {
        List<ScriptMethod> m = new ArrayList<>();
        m.add(new ScriptMethod("forward", arguments(), "Tensor", body(false)));
        if (acceptsControl()) {
            List<Argument> args = new ArrayList<>(arguments());
            args.add(new Argument(DOWN_RESIDUALS.name(), "List[Tensor]"));
            args.add(Argument.tensor(MID_RESIDUAL.name()));
            m.add(new ScriptMethod("forward_with_control", args, "Tensor", body(true)));
            m.add(new ScriptMethod("forward_with_control_args", flatControlArguments(), "Tensor", forwardWithControlArgs()));
        }
        return m;
    }

    /** forward's arguments, then one tensor argument per down residual and the mid residual. */
    private List<Argument> flatControlArguments() {
        List<Argument> args = new ArrayList<>(arguments());
        residuals().forEach(r -> args.add(Argument.tensor(r.name())));
        args.add(Argument.tensor(MID_RESIDUAL.name()));
        return args;
    }

    /** forward_with_control_args: the separate residual arguments passed on as forward_with_control's list. */
    private List<Stmt> forwardWithControlArgs() {
        List<Expr> args = new ArrayList<>();
        arguments().forEach(a -> args.add(var(a.name())));
        args.add(list(residuals()));
        args.add(MID_RESIDUAL);
        Body body = new Body();
        body.ret(invoke(SELF, "forward_with_control", args));
        return body.statements();
    }

    /** {@code down_block_additional_residuals_<k>}, one per skip. */
    private List<Var> residuals() {
        List<Var> names = new ArrayList<>();
        for (int k = 0; k < downSkipCount(); k++) {
            names.add(var(DOWN_RESIDUALS.name() + "_" + k));
        }
        return names;
    }

    private List<Stmt> body(boolean control) {
        Body body = new Body();
        Conditioning c = embed(body);
        Var h0 = body.let("h0", convInOnSample());
        DownPass down = downPass(body, h0, c);
        List<Expr> skips = new ArrayList<>(down.skips());
        if (control) {
            for (int k = 0; k < skips.size(); k++) {
                skips.set(k, body.let("r" + k, add(skips.get(k), item(DOWN_RESIDUALS, k))));
            }
        }
        Var h = body.let("h", midCall(down.output(), c));
        if (control) {
            h = body.let("h", add(h, MID_RESIDUAL));
        }
        for (int i = 0; i < upBlocks.size(); i++) {
            List<Expr> consumed = new ArrayList<>();
            for (int j = 0; j < upBlocks.get(i).skipCount(); j++) {
                consumed.add(skips.remove(skips.size() - 1));
            }
            h = body.let("h", LayerList.callItem("up_blocks", i, h, list(consumed), c.emb(), c.ctx()));
        }
        if (!skips.isEmpty()) {
            throw new IllegalStateException("up blocks leave " + skips.size() + " skips unconsumed");
        }
        body.ret(call("conv_out", config.actFn().apply(call("conv_norm_out", h))));
        return body.statements();
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
