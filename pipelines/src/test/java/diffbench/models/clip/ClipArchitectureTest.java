package diffbench.models.clip;

import diffbench.models.KeyListing;
import diffbench.nn.AttentionKernel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The full-size text encoders, built from their bundled configs without materialising a weight. */
class ClipArchitectureTest {

    @Test
    void clipLMatchesItsCheckpointNameForName() throws Exception {
        CLIPTextModel m = TextEncoders.clipL(AttentionKernel.SDPA);
        assertEquals(123_060_480L, m.parameterCount());
        KeyListing.assertMatches("clip_L_text_encoder", m);
        assertFalse(m.namedParameters().containsKey("text_model.embeddings.position_ids"), "no position_ids, as listed");
        assertEquals(15, m.outputCount());
        assertEquals("pooler_output", m.outputNames().get(1));
    }

    @Test
    void openClipBigGHasAnUnbiasedProjection() throws Exception {
        CLIPTextModel m = TextEncoders.openClipBigG(AttentionKernel.MATH);
        assertEquals(694_659_840L, m.parameterCount());
        KeyListing.assertMatches("openclip_bigG_text_encoder_2_sdxl", m);
        assertTrue(m.config().withProjection());
        assertEquals("text_embeds", m.outputNames().get(1));
        assertEquals("hidden_states.31", m.outputNames().get(CLIPTextModel.hiddenStateIndex(31)));
        assertEquals(HiddenAct.GELU, m.config().activation());
    }

    @Test
    void openClipH23MatchesItsCheckpointNameForName() throws Exception {
        CLIPTextModel m = TextEncoders.openClipH23(AttentionKernel.SDPA);
        assertEquals(340_387_840L, m.parameterCount());
        KeyListing.assertMatches("openclip_H23_text_encoder_x4", m);
    }
}
