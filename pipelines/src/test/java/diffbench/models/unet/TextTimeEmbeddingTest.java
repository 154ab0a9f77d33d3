package diffbench.models.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import diffbench.weights.SyntheticWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * IF's text pooling against diffusers' computation written with NDArray operations as diffusers
 * writes it (q and k each scaled by head_dim^-1/4, class token = mean + positional embedding).
 */
class TextTimeEmbeddingTest {
    @TempDir
    Path dir;

    @Test
    void poolsLikeDiffusers() throws Exception {
        int dim = 32;
        int heads = 4;
        int out = 24;
        try (LoadedModel m = new LoadedModel(new TextTimeEmbedding(dim, out, heads), SyntheticWeights.seeded(3),
                OptionalLong.empty(), dir)) {
            Map<String, NDArray> w = new HashMap<>();
            m.network.block().getParameters().forEach(p -> w.put(p.getKey(), p.getValue().getArray().toType(DataType.FLOAT32, true)));
            NDArray x = m.normal(1, 2, 5, dim).mul(2).add(0.5f);
            NDArray h = layerNorm(x, w.get("norm1.weight"), w.get("norm1.bias"));
            NDArray cls = h.mean(new int[] {1}, true).add(w.get("pool.positional_embedding"));
            NDArray seq = cls.concat(h, 1);
            int hd = dim / heads;
            double s = Math.pow(hd, -0.25);
            NDArray q = split(linear(cls, w, "pool.q_proj"), heads).mul(s);  // (b, heads, 1, hd)
            NDArray k = split(linear(seq, w, "pool.k_proj"), heads).mul(s);  // (b, heads, 6, hd)
            NDArray v = split(linear(seq, w, "pool.v_proj"), heads);
            NDArray weights = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1);
            NDArray pooled = weights.matMul(v).transpose(0, 2, 1, 3).reshape(2, dim);
            NDArray expected = layerNorm(linear(pooled, w, "proj"), w.get("norm2.weight"), w.get("norm2.bias"));
            NDArray actual = m.forward(x).singletonOrThrow();
            assertEquals(expected.getShape(), actual.getShape());
            assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-4f);
        }
    }

    private static NDArray split(NDArray x, int heads) {
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        return x.reshape(b, n, heads, x.getShape().get(2) / heads).transpose(0, 2, 1, 3);
    }

    private static NDArray linear(NDArray x, Map<String, NDArray> w, String p) {
        return x.matMul(w.get(p + ".weight").transpose()).add(w.get(p + ".bias"));
    }

    private static NDArray layerNorm(NDArray x, NDArray weight, NDArray bias) {
        NDArray mean = x.mean(new int[] {-1}, true);
        NDArray centred = x.sub(mean);
        NDArray var = centred.square().mean(new int[] {-1}, true);
        return centred.div(var.add(1e-5).sqrt()).mul(weight).add(bias);
    }
}
