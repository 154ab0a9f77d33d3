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

import java.util.ArrayList;
import java.util.List;

/**
 * What UNet2DConditionModel and ControlNetModel share, built from one UNet config: {@code conv_in},
 * the conditioning embeddings ({@code time_proj}/{@code time_embedding}, {@code encoder_hid_proj},
 * {@code class_embedding}, {@code add_time_proj}/{@code add_embedding}), the down blocks and the
 * mid block, with the TorchScript lines that run them and their FLOPs. Subclasses declare the parts
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

    /** {@code sample, timestep, encoder_hidden_states}. */
    protected static List<String> textArguments() {
        return List.of("sample: Tensor", "timestep: Tensor", "encoder_hidden_states: Tensor");
    }

    /** The config's extra conditioning inputs: {@code class_labels}; SDXL's {@code text_embeds, time_ids}. */
    protected final List<String> extraConditioningArguments() {
        List<String> a = new ArrayList<>();
        if (classEmbedding != null) {
            a.add("class_labels: Tensor");
        }
        if ("text_time".equals(config.additionEmbedType())) {
            a.add("text_embeds: Tensor");
            a.add("time_ids: Tensor");
        }
        return a;
    }

    /** Lines defining {@code emb} (the time embedding every resnet gets) and {@code ctx} (the blocks' text). */
    protected final List<String> embeddingLines() {
        List<String> s = new ArrayList<>();
        // float inputs of any type run in the weights' dtype (Java keeps latents and text states in fp32)
        s.add("sample = torch.type_as(sample, self.conv_in.weight)");
        s.add("encoder_hidden_states = torch.type_as(encoder_hidden_states, self.conv_in.weight)");
        s.add("b = torch.size(sample, 0)");
        s.add("t = torch.expand(torch.reshape(timestep, [-1]), [b])");
        s.add("emb = " + callText("time_embedding", "torch.type_as(" + callText("time_proj", "t") + ", sample)"));
        if (classEmbedding != null) {
            s.add("labels = torch.expand(torch.reshape(class_labels, [-1]), [b])");
            if (classEmbedding instanceof TimestepEmbedding) {
                s.add("emb = torch.add(emb, " + callText("class_embedding",
                        "torch.type_as(" + callText("time_proj", "labels") + ", sample)") + ")");
            } else {
                s.add("emb = torch.add(emb, torch.type_as(" + callText("class_embedding", "labels") + ", emb))");
            }
        }
        if (addEmbedding instanceof TimestepEmbedding) {
            s.add("ids = torch.reshape(" + callText("add_time_proj", "torch.reshape(time_ids, [-1])")
                    + ", [torch.size(text_embeds, 0), -1])");
            s.add("emb = torch.add(emb, " + callText("add_embedding",
                    "torch.type_as(torch.cat([text_embeds, ids], -1), emb)") + ")");
        } else if (addEmbedding instanceof TextTimeEmbedding) {
            s.add("emb = torch.add(emb, " + callText("add_embedding", "encoder_hidden_states") + ")");
        }
        if (config.timeEmbeddingActFn() != null) {
            s.add("emb = " + config.timeEmbeddingActFn().applyText("emb"));
        }
        s.add("ctx = " + (encoderHidProj != null ? callText("encoder_hid_proj", "encoder_hidden_states") : "encoder_hidden_states"));
        return s;
    }

    /** The expression of {@code conv_in} on the sample (centred first when the config says so). */
    protected final String convInExpression() {
        return callText("conv_in", config.centerInputSample() ? "torch.sub(torch.mul(sample, 2.), 1.)" : "sample");
    }

    /** The down pass from variable {@code input}: its lines, the skip expressions in push order, the output. */
    protected final DownPass downPass(String input) {
        List<String> lines = new ArrayList<>();
        List<String> skips = new ArrayList<>(List.of(input));
        String h = input;
        for (int i = 0; i < downBlocks.size(); i++) {
            String d = "d" + i;
            lines.add(d + " = " + LayerList.callItemText("down_blocks", i, h, "emb", "ctx"));
            int n = downBlocks.get(i).outputCount();
            for (int j = 0; j < n; j++) {
                skips.add(d + "[" + j + "]");
            }
            h = d + "[" + (n - 1) + "]";
        }
        return new DownPass(lines, skips, h);
    }

    /** Lines of a down pass, the skips it pushes (conv_in's output first) and the expression of its output. */
    protected record DownPass(List<String> lines, List<String> skips, String output) {
    }

    protected static String midCall(String x) {
        return callText("mid_block", x, "emb", "ctx");
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
