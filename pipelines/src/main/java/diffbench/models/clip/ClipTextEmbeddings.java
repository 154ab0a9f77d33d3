package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.torchscript.ScriptMethod;

import java.util.List;

/** Token embedding plus the learned position embedding of positions 0..T-1 ({@code embeddings.}). */
final class ClipTextEmbeddings extends ModelLayer {
    ClipTextEmbeddings(CLIPTextConfig c) {
        child("token_embedding", new TokenEmbedding(c.vocabSize(), c.hiddenSize()));
        child("position_embedding", new TokenEmbedding(c.maxPositionEmbeddings(), c.hiddenSize()));
    }

    @Override
    public String className() {
        return "ClipTextEmbeddings";
    }

    @Override
    protected List<ScriptMethod> methods() {
        return List.of(ScriptMethod.legacy("forward", List.of("input_ids: Tensor"), "Tensor", List.of(
                "t = torch.size(input_ids, 1)",
                "positions = torch.slice((self.position_embedding).weight, 0, 0, t, 1)",
                "return torch.add(" + callText("token_embedding", "input_ids") + ", positions)")));
    }
}
