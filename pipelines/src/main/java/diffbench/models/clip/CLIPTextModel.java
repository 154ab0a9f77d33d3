package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Linear;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.TupleOf;
import diffbench.torchscript.code.Expr.Var;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static diffbench.torchscript.code.Torch.item;
import static diffbench.torchscript.code.Torch.var;

/**
 * transformers' {@code CLIPTextModel}, or {@code CLIPTextModelWithProjection} when the config says
 * so (adds {@code text_projection}, Linear without bias, on the pooled state).
 *
 * <p>{@code forward(input_ids)}: input_ids int64 (B, T), T ≤ max_position_embeddings (77 in every
 * pipeline); causal self-attention, no attention mask (the pipelines pass none). Returns a flat
 * tuple of L + 3 tensors, L = num_hidden_layers:
 * <ol start="0">
 *   <li>{@code last_hidden_state} (B, T, D): after final_layer_norm (SD 1.5, x4 upscaler);</li>
 *   <li>{@code pooler_output} (B, D) for CLIPTextModel, or {@code text_embeds} (B, projection_dim)
 *   for the projection model (SDXL's pooled prompt embedding);</li>
 *   <li>.. L + 2: {@code hidden_states.0} .. {@code hidden_states.L}: the embeddings' output, then
 *   each layer's output before the final norm. SDXL takes {@code hidden_states.(L-1)} (transformers'
 *   hidden_states[-2]) = output index L + 1.</li>
 * </ol>
 */
public final class CLIPTextModel extends ModelLayer {
    private final CLIPTextConfig config;
    private final List<String> unknownConfigKeys;
    private final ClipTextTransformer textModel;

    public CLIPTextModel(CLIPTextConfig config, AttentionKernel kernel) {
        this(config, kernel, List.of());
    }

    CLIPTextModel(CLIPTextConfig config, AttentionKernel kernel, List<String> unknownConfigKeys) {
        this.config = config;
        this.unknownConfigKeys = List.copyOf(unknownConfigKeys);
        textModel = child("text_model", new ClipTextTransformer(config, kernel));
        if (config.withProjection()) {
            child("text_projection", new Linear(config.hiddenSize(), config.projectionDim(), false));
        }
    }

    public CLIPTextConfig config() {
        return config;
    }

    public List<String> unknownConfigKeys() {
        return unknownConfigKeys;
    }

    /** Number of tensors forward returns. */
    public int outputCount() {
        return textModel.depth() + 3;
    }

    /** Output index of {@code hidden_states.i}. */
    public static int hiddenStateIndex(int i) {
        return 2 + i;
    }

    /** The output names, in forward's order (docs/engine-facts.md §5). */
    public List<String> outputNames() {
        List<String> names = new ArrayList<>();
        names.add("last_hidden_state");
        names.add(config.withProjection() ? "text_embeds" : "pooler_output");
        for (int i = 0; i <= textModel.depth(); i++) {
            names.add("hidden_states." + i);
        }
        return names;
    }

    @Override
    public String className() {
        return structuralName(config.withProjection() ? "CLIPTextModelWithProjection" : "CLIPTextModel");
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        List<Var> result = body.unpack(call("text_model", var("input_ids")), "last", "pooled", "states");
        Var pooled = result.get(1);
        Var states = result.get(2);
        List<Expr> outputs = new ArrayList<>(List.of(result.get(0), config.withProjection() ? call("text_projection", pooled) : pooled));
        for (int i = 0; i <= textModel.depth(); i++) {
            outputs.add(item(states, i));
        }
        body.ret(new TupleOf(outputs));
        String type = "Tuple[" + String.join(", ", Collections.nCopies(outputs.size(), "Tensor")) + "]";
        return List.of(new ScriptMethod("forward", List.of(Argument.tensor("input_ids")), type, body.statements()));
    }

    /** FLOPs of one forward for (batch, tokens) ids; the lookups and norms are not counted. */
    public long flops(long batch, long tokens) {
        long f = textModel.flops(batch, tokens);
        if (config.withProjection()) {
            f += 2L * batch * config.hiddenSize() * config.projectionDim();
        }
        return f;
    }
}
