package diffbench.models.unet;

import diffbench.nn.AttentionKernel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The full-size UNets, built from their configs without materialising any tensor: the state_dict
 * names, shapes and order equal the diffusers listings (test resources diffbench/keys), and the parameter
 * counts are exact (docs/architectures.md §2, §3).
 */
class UNetArchitectureTest {

    @ParameterizedTest
    @CsvSource({
            "SD15, sd15_unet.txt, 859520964",
            "INPAINT, inpaint_unet.txt, 859535364",
            "SDXL, sdxl_unet.txt, 2567463684",
            "X4, x4_unet.txt, 473398020",
            "IF_I_M, ifIm_unet.ASSUMED_CONFIG.txt, 371605830",
            "IF_II_M, ifIIm_unet.ASSUMED_CONFIG.txt, 535441926"})
    void stateDictMatchesDiffusers(UNets.Variant variant, String listing, long parameters) {
        UNet2DConditionModel unet = variant.build(AttentionKernel.SDPA);
        List<String> expected = StateDictListing.resource(listing);
        List<String> actual = StateDictListing.of(unet);
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), variant + ": entry " + i);
        }
        assertEquals(expected.size(), actual.size(), variant + ": number of tensors");
        assertEquals(parameters, unet.parameterCount(), variant + ": parameters");
    }
}
