package diffbench.models.unet;

import diffbench.models.ModelLayer;
import diffbench.nn.Activation;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Conv2d;
import diffbench.nn.Layer;
import diffbench.nn.LayerList;
import diffbench.nn.Linear;
import diffbench.nn.TimestepEmbedding;
import diffbench.nn.Timesteps;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Attr;
import diffbench.torchscript.code.Expr.Var;

import java.util.ArrayList;
import java.util.List;

import static diffbench.torchscript.code.Torch.add;
import static diffbench.torchscript.code.Torch.cat;
import static diffbench.torchscript.code.Torch.expand;
import static diffbench.torchscript.code.Torch.ints;
import static diffbench.torchscript.code.Torch.item;
import static diffbench.torchscript.code.Torch.list;
import static diffbench.torchscript.code.Torch.mul;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.reshape;
import static diffbench.torchscript.code.Torch.size;
import static diffbench.torchscript.code.Torch.sub;
import static diffbench.torchscript.code.Torch.typeAs;
import static diffbench.torchscript.code.Torch.var;

/**
 * What UNet2DConditionModel and ControlNetModel share, built from one UNet config: {@code conv_in},
 * the conditioning embeddings ({@code time_proj}/{@code time_embedding}, {@code encoder_hid_proj},
 * {@code class_embedding}, {@code add_time_proj}/{@code add_embedding}), the down blocks and the
 * mid block, with the statements that run them and their FLOPs. Subclasses declare the parts
 * in diffusers' registration order (so state_dict order matches) around their own.
 *
 * <p>Conditioning as diffusers computes it: the timestep (0-d or 1-d, int64 or float) is broadcast
 * to the batch, embedded as an fp32 sinusoid cast to the sample's dtype, then {@code time_embedding};
 * plus the class embedding of {@code class_labels} (sinusoid + TimestepEmbedding for type
 * "timestep", an nn.Embedding for {@code num_class_embeds}); plus the addition embedding (SDXL
 * "text_time": sinusoids of the six {@code time_ids} after {@code text_embeds}; IF "text": pooled raw
 * text); then {@code time_embedding_act_fn}. The text reaching the blocks is
 * {@code encoder_hid_proj(encoder_hidden_states)} when configured.
 */
public abstract class UNetBase extends ModelLayer {
    protected final UNet2DConditionConfig config;
    protected final AttentionKernel kernel;
    protected final UNetBlocks blockBuilder;
    private Conv2d convIn;
    private TimestepEmbedding timeEmbedding;
    private Linear encoderHidProj;
    private Layer classEmbedding;
    private Layer addEmbedding;
    private LayerList<UNetDownBlock> downBlocks;
    private UNetMidBlock midBlock;

    protected UNetBase(UNet2DConditionConfig config, AttentionKernel kernel) {
        this.config = config;
        this.kernel = kernel;
        this.blockBuilder = new UNetBlocks(config, kernel);
    }

    public UNet2DConditionConfig config() {
        return config;
    }

    // ---- declaration, in diffusers' order ----

    protected final void declareInputAndEmbeddings() {
        UNet2DConditionConfig c = config;
        int ch0 = c.blockOutChannels().get(0);
        int t = c.timeEmbedDim();
        int k = c.convInKernel();
        convIn = child("conv_in", new Conv2d(c.inChannels(), ch0, k, 1, (k - 1) / 2));
        child("time_proj", new Timesteps(ch0, c.flipSinToCos(), c.freqShift()));
        timeEmbedding = child("time_embedding", new TimestepEmbedding(ch0, t, c.actFn()));
        if (c.encoderHidDim() != null) {
            encoderHidProj = child("encoder_hid_proj", new Linear(c.encoderHidDim(), c.crossAttentionDim().get(0)));
        }
        if ("timestep".equals(c.classEmbedType())) {
            classEmbedding = child("class_embedding", new TimestepEmbedding(ch0, t, c.actFn()));
        } else if (c.numClassEmbeds() != null) {
            classEmbedding = child("class_embedding", new Embedding(c.numClassEmbeds(), t));
        }
        if ("text_time".equals(c.additionEmbedType())) {
            child("add_time_proj", new Timesteps(c.additionTimeEmbedDim(), c.flipSinToCos(), c.freqShift()));
            addEmbedding = child("add_embedding",
                    new TimestepEmbedding(c.projectionClassEmbeddingsInputDim(), t, Activation.SILU));
        } else if ("text".equals(c.additionEmbedType())) {
            addEmbedding = child("add_embedding", new TextTimeEmbedding(c.encoderHiddenStatesDim(), t,
                    c.additionEmbedTypeNumHeads()));
        }
    }

    protected final void declareDownBlocks() {
        List<UNetDownBlock> list = new ArrayList<>();
        for (int i = 0; i < config.blocks(); i++) {
            list.add(blockBuilder.down(i));
        }
        downBlocks = child("down_blocks", new LayerList<>(list));
    }

    protected final void declareMidBlock() {
        midBlock = child("mid_block", blockBuilder.mid());
    }

    // ---- forward source ----

    /** Forward's arguments, named as diffusers' forward arguments (added_cond_kwargs flattened). */
    protected static final Var SAMPLE = var("sample");
    protected static final Var TIMESTEP = var("timestep");
    protected static final Var ENCODER_HIDDEN_STATES = var("encoder_hidden_states");
    protected static final Var CLASS_LABELS = var("class_labels");
    protected static final Var TEXT_EMBEDS = var("text_embeds");
    protected static final Var TIME_IDS = var("time_ids");

    /** {@code sample, timestep, encoder_hidden_states}. */
    protected static List<Argument> textArguments() {
        return Argument.tensors(SAMPLE.name(), TIMESTEP.name(), ENCODER_HIDDEN_STATES.name());
    }

    /** The config's extra conditioning inputs: {@code class_labels}; SDXL's {@code text_embeds, time_ids}. */
    protected final List<Argument> extraConditioningArguments() {
        List<Argument> a = new ArrayList<>();
        if (classEmbedding != null) {
            a.add(Argument.tensor(CLASS_LABELS.name()));
        }
        if ("text_time".equals(config.additionEmbedType())) {
            a.add(Argument.tensor(TEXT_EMBEDS.name()));
            a.add(Argument.tensor(TIME_IDS.name()));
        }
        return a;
    }

    /**
     * Writes the statements defining {@code emb} (the time embedding every resnet gets) and
     * {@code ctx} (the blocks' text); returns them.
     */
    protected final Conditioning embed(Body body) {
        Var sample = body.let(SAMPLE.name(), typeAs(SAMPLE, convInWeight()));
        Var text = body.let(ENCODER_HIDDEN_STATES.name(), typeAs(ENCODER_HIDDEN_STATES, convInWeight()));
        Var b = body.let("b", size(sample, 0));
        Var t = body.let("t", expand(reshape(TIMESTEP, ints(-1)), list(b)));
        Var emb = body.let("emb", call("time_embedding", typeAs(call("time_proj", t), sample)));
        if (classEmbedding != null) {
            Var labels = body.let("labels", expand(reshape(CLASS_LABELS, ints(-1)), list(b)));
            emb = body.let("emb", classEmbedding instanceof TimestepEmbedding
                    ? add(emb, call("class_embedding", typeAs(call("time_proj", labels), sample)))
                    : add(emb, typeAs(call("class_embedding", labels), emb)));
        }
        if (addEmbedding instanceof TimestepEmbedding) {
            Var ids = body.let("ids", reshape(call("add_time_proj", reshape(TIME_IDS, ints(-1))),
                    list(size(TEXT_EMBEDS, 0), num(-1))));
            emb = body.let("emb", add(emb, call("add_embedding", typeAs(cat(List.of(TEXT_EMBEDS, ids), -1), emb))));
        } else if (addEmbedding instanceof TextTimeEmbedding) {
            emb = body.let("emb", add(emb, call("add_embedding", text)));
        }
        if (config.timeEmbeddingActFn() != null) {
            emb = body.let("emb", config.timeEmbeddingActFn().apply(emb));
        }
        Var ctx = body.let("ctx", encoderHidProj != null ? call("encoder_hid_proj", text) : text);
        return new Conditioning(emb, ctx);
    }

    /**
     * The tensor whose dtype float inputs take: inputs of any float type run in the weights' dtype
     * (Java keeps latents and text states in fp32).
     */
    protected static Expr convInWeight() {
        return new Attr(ref("conv_in"), "weight");
    }

    /** The time embedding every resnet gets and the text the attentions attend to. */
    protected record Conditioning(Var emb, Var ctx) {
    }

    /**
     * {@code conv_in} on the sample (centred to [-1, 1] first when the config says so); after
     * {@link #embed}, whose cast to the weights' dtype rebinds {@code sample}.
     */
    protected final Expr convInOnSample() {
        return call("conv_in", config.centerInputSample() ? sub(mul(SAMPLE, num(2.0)), num(1.0)) : SAMPLE);
    }

    /** Writes the down pass from {@code input}; returns the skips in push order and the output. */
    protected final DownPass downPass(Body body, Var input, Conditioning c) {
        List<Expr> skips = new ArrayList<>(List.of(input));
        Expr h = input;
        for (int i = 0; i < downBlocks.size(); i++) {
            Var d = body.let("d" + i, LayerList.callItem("down_blocks", i, h, c.emb(), c.ctx()));
            int n = downBlocks.get(i).outputCount();
            for (int j = 0; j < n; j++) {
                skips.add(item(d, j));
            }
            h = item(d, n - 1);
        }
        return new DownPass(skips, h);
    }

    /** The skips a down pass pushes (conv_in's output first) and its output. */
    protected record DownPass(List<Expr> skips, Expr output) {
    }

    /** Number of skips the down pass pushes, conv_in's output included. */
    protected final int downSkipCount() {
        return 1 + downBlocks.items().stream().mapToInt(UNetDownBlock::outputCount).sum();
    }

    protected static Expr midCall(Expr x, Conditioning c) {
        return call("mid_block", x, c.emb(), c.ctx());
    }

    // ---- shapes and FLOPs ----

    /** Shapes of the skips for an NCHW sample, in push order (conv_in's output first). */
    public final List<long[]> skipShapes(long[] sample) {
        List<long[]> shapes = new ArrayList<>();
        long[] h = convIn.outputShape(sample);
        shapes.add(h);
        for (UNetDownBlock d : downBlocks.items()) {
            List<long[]> outs = d.outputShapes(h);
            shapes.addAll(outs);
            h = outs.get(outs.size() - 1);
        }
        return shapes;
    }

    /**
     * FLOPs of one forward (2 per multiply-accumulate of convs, linears and attention matmuls) for an
     * NCHW sample of any batch and {@code contextTokens} text tokens.
     */
    public abstract long flops(long[] sample, long contextTokens);

    /** FLOPs of conv_in, the embeddings, the down blocks and the mid block. */
    protected final long sharedFlops(long[] sample, long contextTokens) {
        long batch = sample[0];
        long f = convIn.flops(sample) + timeEmbedding.flops(batch);
        if (encoderHidProj != null) {
            f += encoderHidProj.flops(batch * contextTokens);
        }
        if (classEmbedding instanceof TimestepEmbedding e) {
            f += e.flops(batch);
        }
        if (addEmbedding instanceof TimestepEmbedding e) {
            f += e.flops(batch);
        } else if (addEmbedding instanceof TextTimeEmbedding e) {
            f += e.flops(batch, contextTokens);
        }
        long[] h = convIn.outputShape(sample);
        for (UNetDownBlock d : downBlocks.items()) {
            f += d.flops(h, contextTokens);
            List<long[]> outs = d.outputShapes(h);
            h = outs.get(outs.size() - 1);
        }
        return f + midBlock.flops(h, contextTokens);
    }
}
