package diffbench.models.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import diffbench.nn.AttentionKernel;
import diffbench.runtime.Network;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.StorageType;
import diffbench.weights.SyntheticWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tiny text encoders of each structure, emitted with seeded weights, loaded through DJL on CPU and
 * run on (B, 77) int64 ids: output shapes, the pooled row, the projection, causality, and equal
 * results from the two attention kernels.
 */
class TinyClipRunTest {
    @TempDir
    Path dir;

    @Test
    void clipLTinyPoolsAtTheEndOfTextTokenAndIsCausal() throws Exception {
        CLIPTextConfig tiny = CLIPTextConfig.clipL().tiny();
        int outputs = runBoth(tiny, (net, nd, ids, out) -> {
            NDArray last = out.get(0);
            // pooled = last_hidden_state at argmax(ids), i.e. the end-of-text position 5 / 9
            assertClose(last.get(new NDIndex("0, 5")), out.get(1).get(0));
            assertClose(last.get(new NDIndex("1, 9")), out.get(1).get(1));
            // changing token 40 changes nothing at positions before it, in every hidden state
            NDArray changed = ids.duplicate();
            changed.set(new NDIndex("0, 40"), 7L);
            NDList again = net.forward(new NDList(changed));
            for (int i = 0; i < out.size(); i++) {
                if (i == 1) {
                    continue;
                }
                assertClose(out.get(i).get(new NDIndex("0, :40")), again.get(i).get(new NDIndex("0, :40")));
                assertTrue(out.get(i).get(new NDIndex("0, 40:")).sub(again.get(i).get(new NDIndex("0, 40:"))).abs().max()
                        .getFloat() > 1e-4 || i == 2, "later positions see the change (output " + i + ")");
            }
        });
        assertEquals(tiny.numHiddenLayers() + 3, outputs);
    }

    @Test
    void bigGTinyProjectsThePooledState() throws Exception {
        CLIPTextConfig tiny = CLIPTextConfig.openClipBigG().tiny();
        runBoth(tiny, (net, nd, ids, out) -> {
            NDArray w = net.block().getParameters().get("text_projection.weight").getArray();
            NDArray pooled = out.get(0).get(new NDIndex("0, 5"));
            assertClose(pooled.matMul(w.transpose()), out.get(1).get(0));
            assertArrayEquals(new long[] {2, tiny.projectionDim()}, out.get(1).getShape().getShape());
        });
    }

    @Test
    void h23TinyRuns() throws Exception {
        runBoth(CLIPTextConfig.openClipH23().tiny(), (net, nd, ids, out) -> { });
    }

    @Test
    void firstEndOfTextPoolingWhenTheConfigNamesTheRealId() throws Exception {
        CLIPTextConfig c = CLIPTextConfig.parse("{\"hidden_size\": 32, \"intermediate_size\": 64, \"num_hidden_layers\": 1, "
                + "\"num_attention_heads\": 2, \"vocab_size\": 1000, \"eos_token_id\": 3}", "test").config();
        runBoth(c, (net, nd, ids, out) -> {
            // the end-of-text id 3 is smaller than the words' ids: argmax would land on a word
            assertClose(out.get(0).get(new NDIndex("0, 5")), out.get(1).get(0));
            assertClose(out.get(0).get(new NDIndex("1, 9")), out.get(1).get(1));
        });
    }

    interface Check {
        void accept(Network net, NDManager nd, NDArray ids, NDList out) throws Exception;
    }

    /** Runs both kernels on the same seeded weights: results agree and pass {@code check}; returns the output count. */
    private int runBoth(CLIPTextConfig c, Check check) throws Exception {
        float[][] first = null;
        for (AttentionKernel kernel : AttentionKernel.values()) {
            CLIPTextModel model = new CLIPTextModel(c, kernel);
            Path file = dir.resolve(model.className() + ".pt");
            ArchiveWriter.write(model.emit(SyntheticWeights.seeded(11), StorageType.FLOAT32), file);
            try (Network net = Network.load(file, Device.cpu(), OptionalLong.empty());
                 NDManager nd = net.manager().newSubManager()) {
                NDArray ids = ids(nd, c.eosTokenId() == 2 ? c.vocabSize() - 1 : c.eosTokenId());
                NDList out = net.forward(new NDList(ids));
                assertEquals(model.outputCount(), out.size());
                int tokens = TextEncoders.TOKENS;
                assertArrayEquals(new long[] {2, tokens, c.hiddenSize()}, out.get(0).getShape().getShape());
                for (int i = 2; i < out.size(); i++) {
                    assertArrayEquals(new long[] {2, tokens, c.hiddenSize()}, out.get(i).getShape().getShape());
                }
                check.accept(net, nd, ids, out);
                float[][] values = new float[out.size()][];
                for (int i = 0; i < out.size(); i++) {
                    values[i] = out.get(i).toFloatArray();
                    for (int j = 0; j < values[i].length; j++) {
                        assertTrue(Float.isFinite(values[i][j]), "finite output " + i);
                        if (first != null) {
                            assertEquals(first[i][j], values[i][j], 1e-4, kernel + " agrees with sdpa, output " + i);
                        }
                    }
                }
                first = first == null ? values : first;
            }
        }
        return first.length;
    }

    /**
     * Two prompts as the tokenizers pad them: a start id, words (ids from 10 up), the end-of-text id
     * at position 5 / 9, then padding: 0 after the first prompt (tokenizer_2's "!"), the end-of-text
     * id itself after the second (CLIP-L's tokenizer).
     */
    private static NDArray ids(NDManager nd, long eot) {
        long[] v = new long[2 * TextEncoders.TOKENS];
        for (int b = 0; b < 2; b++) {
            int end = b == 0 ? 5 : 9;
            for (int t = 0; t < TextEncoders.TOKENS; t++) {
                v[b * TextEncoders.TOKENS + t] = t == 0 ? 1 : t < end ? 10 + 7L * t + b : t == end || b == 1 ? eot : 0;
            }
        }
        return nd.create(v, new Shape(2, TextEncoders.TOKENS));
    }

    static void assertClose(NDArray expected, NDArray actual) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape());
        float worst = expected.sub(actual).abs().max().getFloat();
        assertTrue(worst < 1e-4, "max abs difference " + worst);
    }
}
