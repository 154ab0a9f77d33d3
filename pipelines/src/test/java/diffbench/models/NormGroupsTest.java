package diffbench.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import diffbench.models.catalog.ConfiguredNetwork;
import diffbench.models.unet.LoadedModel;
import diffbench.models.vae.AutoencoderKLConfig;
import diffbench.nn.AttentionKernel;
import diffbench.nn.GroupNorm;
import diffbench.nn.Layer;
import diffbench.nn.ParamSpec;
import diffbench.weights.SyntheticWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

import static diffbench.models.unet.LoadedModel.assertUsable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * norm_num_groups other than 32 (as tiny test checkpoints often have): every UNet kind, the
 * ControlNet and the VAE build from a config.json with 8 and 16 groups, with the parameter names and
 * shapes of the 32-group build; every GroupNorm takes the config's count as diffusers passes it
 * (IF attention's norm_cross keeps 32); the archives load and run through DJL, and the count
 * changes the result. (Each norm's arithmetic at a given count is checked against a reference in
 * nn.LayerOutputsTest.)
 */
class NormGroupsTest {
    @TempDir
    Path dir;

    /** A tiny config.json of one class, the forward inputs of its network and the shape of its last output. */
    private record Case(String name, String configJson, long[] outputShape, Function<LoadedModel, NDArray[]> inputs) {
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        long[] latent = {2, 4, 8, 8};
        cases.add(new Case("sd15-unet", unet("sd15-tiny"), latent,
                m -> new NDArray[] {m.normal(1, latent), m.nd.create(981L), m.normal(2, 2, 7, 32)}));
        cases.add(new Case("sd-inpaint-unet", unet("inpaint-tiny"), latent,
                m -> new NDArray[] {m.normal(3, 2, 9, 8, 8), m.nd.create(981L), m.normal(4, 2, 7, 32)}));
        cases.add(new Case("sdxl-unet", unet("sdxl-tiny"), latent,
                m -> new NDArray[] {m.normal(5, latent), m.nd.create(981f), m.normal(6, 2, 7, 64), m.normal(7, 2, 16),
                        m.nd.create(new float[] {64, 64, 0, 0, 64, 64, 64, 64, 0, 0, 64, 64}, new Shape(2, 6))}));
        cases.add(new Case("if-i-m-unet", unet("if_i_m-tiny"), new long[] {2, 6, 8, 8},
                m -> new NDArray[] {m.normal(8, 2, 3, 8, 8), m.nd.create(990L), m.normal(9, 2, 5, 32)}));
        cases.add(new Case("if-ii-m-unet", unet("if_ii_m-tiny"), new long[] {2, 6, 8, 8},
                m -> new NDArray[] {m.normal(10, 2, 6, 8, 8), m.nd.create(980L), m.normal(11, 2, 5, 32), m.nd.create(250L)}));
        cases.add(new Case("x4-unet", unet("x4-tiny"), latent,
                m -> new NDArray[] {m.normal(12, 2, 7, 8, 8), m.nd.create(963L), m.normal(13, 2, 7, 32),
                        m.nd.create(new long[] {100, 100})}));
        cases.add(new Case("controlnet", withClass(resource("/diffbench/models/controlnet/canny-tiny.json"), "ControlNetModel"),
                new long[] {2, 64, 4, 4}, m -> new NDArray[] {m.normal(14, latent), m.nd.create(981L), m.normal(15, 2, 7, 32),
                        m.normal(16, 2, 3, 64, 64).abs().clip(0, 1), m.nd.create(1f)}));
        // the x4 VAE's three levels at widths 32 would not split into 32 groups at the usual tiny widths (16, 32)
        JsonObject vae = JsonParser.parseString(ConfigReader.toJson(AutoencoderKLConfig.x4().tiny())).getAsJsonObject();
        vae.add("block_out_channels", JsonParser.parseString("[32, 32, 64]"));
        cases.add(new Case("x4-vae (decode)", vae.toString(), new long[] {2, 3, 16, 16},
                m -> new NDArray[] {m.normal(17, 2, 4, 4, 4)}));
        return cases;
    }

    @Test
    void everyNetworkKindBuildsLoadsAndRunsWith8And16Groups() throws Exception {
        for (Case c : cases()) {
            ConfiguredNetwork base = build(c, 32);
            assertEquals(List.of(), base.unknownKeys(), c.name);
            Map<String, List<Long>> baseShapes = shapes(base.network());
            float[] baseOut = run(c, base.network(), "32");
            for (int groups : new int[] {8, 16}) {
                String what = c.name + " with norm_num_groups " + groups;
                Layer net = build(c, groups).network();
                assertEquals(baseShapes, shapes(net), what + ": parameter names and shapes as with 32 groups");
                Map<String, Integer> norms = groupNorms(net);
                assertTrue(norms.keySet().stream().anyMatch(p -> p.contains("attentions.") || p.contains("mid_block.attentions")),
                        what + ": attention norms are among " + norms.keySet());
                norms.forEach((path, g) -> assertEquals(path.endsWith("norm_cross") ? 32 : groups, g, what + ": " + path));
                float[] out = run(c, net, String.valueOf(groups));
                assertFalse(Arrays.equals(baseOut, out), what + ": the group count changes the result");
            }
        }
    }

    @Test
    void ifAttentionsNormCrossKeeps32Groups() throws Exception {
        Case ifI = cases().stream().filter(c -> c.name.equals("if-i-m-unet")).findFirst().orElseThrow();
        Map<String, Integer> norms = groupNorms(build(ifI, 8).network());
        assertTrue(norms.entrySet().stream().anyMatch(e -> e.getKey().endsWith("norm_cross") && e.getValue() == 32), norms.toString());
        assertTrue(norms.entrySet().stream().anyMatch(e -> e.getKey().endsWith("attentions.0.group_norm") && e.getValue() == 8),
                norms.toString());
    }

    @Test
    void groupCountsThatCannotBeBuiltAreRefusedInOneLine() throws Exception {
        for (Case c : cases()) {
            Path config = write(c, "24");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConfiguredNetwork.read(config, AttentionKernel.SDPA), c.name);
            assertTrue(e.getMessage().contains("norm_num_groups") && e.getMessage().contains("24")
                    && !e.getMessage().contains("\n"), c.name + ": " + e.getMessage());
        }
        for (Case c : cases()) { // diffusers' blocks cannot be built without a count: null is not the default
            Path config = write(c, "null");
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                    () -> ConfiguredNetwork.read(config, AttentionKernel.SDPA), c.name);
            assertTrue(none.getMessage().contains("unsupported norm_num_groups = null"), c.name + ": " + none.getMessage());
        }
    }

    private ConfiguredNetwork build(Case c, int groups) throws IOException {
        return ConfiguredNetwork.read(write(c, String.valueOf(groups)), AttentionKernel.SDPA);
    }

    private Path write(Case c, String groups) throws IOException {
        JsonObject json = JsonParser.parseString(c.configJson).getAsJsonObject();
        json.add("norm_num_groups", JsonParser.parseString(groups));
        Path file = dir.resolve(c.name.replaceAll("[^a-z0-9-]", "_") + "-" + groups + ".json");
        Files.writeString(file, json.toString());
        return file;
    }

    /** The network emitted with seeded weights (the same values at every group count), run once. */
    private float[] run(Case c, Layer network, String tag) throws IOException {
        Path sub = Files.createDirectories(dir.resolve(c.name.replaceAll("[^a-z0-9-]", "_") + "-" + tag));
        try (LoadedModel m = new LoadedModel(network, SyntheticWeights.seeded(5), OptionalLong.empty(), sub)) {
            NDList out = m.forward(c.inputs.apply(m));
            NDArray last = out.get(out.size() - 1); // the ControlNet's mid residual: its first skips precede every norm
            assertUsable(last, c.outputShape, c.name + " (" + tag + " groups)");
            return last.toFloatArray();
        }
    }

    private static Map<String, List<Long>> shapes(Layer network) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (Map.Entry<String, ParamSpec> e : network.namedParameters().entrySet()) {
            out.put(e.getKey(), Arrays.stream(e.getValue().shape()).boxed().toList());
        }
        return out;
    }

    /** Every GroupNorm of the tree, by state_dict path, with its group count. */
    private static Map<String, Integer> groupNorms(Layer network) {
        Map<String, Integer> out = new LinkedHashMap<>();
        collect(network, "", out);
        assertFalse(out.isEmpty());
        return out;
    }

    private static void collect(Layer layer, String path, Map<String, Integer> out) {
        if (layer instanceof GroupNorm g) {
            out.put(path, g.groups());
        }
        layer.children().forEach((name, child) -> collect(child, path.isEmpty() ? name : path + "." + name, out));
    }

    private static String unet(String tinyResource) {
        return withClass(resource("/diffbench/models/unet/" + tinyResource + ".json"), "UNet2DConditionModel");
    }

    private static String withClass(String json, String className) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        o.addProperty("_class_name", className);
        return o.toString();
    }

    private static String resource(String name) {
        try (InputStream in = NormGroupsTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
