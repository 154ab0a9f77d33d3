package diffbench.peer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import diffbench.models.unet.LoadedModel;
import diffbench.models.unet.UNet2DConditionConfig;
import diffbench.models.unet.UNet2DConditionModel;
import diffbench.nn.AttentionKernel;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.StorageType;
import diffbench.weights.SyntheticWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A UNet built with norm_num_groups 8 computes the same in three runtimes: the archive through DJL
 * (libtorch 2.7.1), the same archive through torch.jit in Python, and its plain-PyTorch twin
 * (peer/networks.py twin_from_archive), on the same inputs. Needs python3 with torch (the peer's
 * runtime; e.g. PYTHONPATH=/path/to/site-packages): skipped, saying so, where it has none.
 */
@ExtendWith(TorchPython.class)
class NormGroupsTwinTest {
    private static final String SCRIPT = """
            import json, sys
            import torch
            sys.path.insert(0, sys.argv[1])
            import networks
            archive, twin_path, inputs_path = sys.argv[2:5]
            scripted = networks.load_archive(archive, "cpu", synthetic=False)
            twin = networks.twin_from_archive(twin_path, scripted)
            spec = json.load(open(inputs_path))
            args = [torch.tensor(a["values"], dtype=getattr(torch, a["dtype"])).reshape(a["shape"]) for a in spec]
            with torch.no_grad():
                a = scripted(*args)
                b = twin(*args)
            print(json.dumps({"scripted": a.flatten().tolist(), "twin": b.flatten().tolist(),
                              "torch": torch.__version__}))
            """;

    @TempDir
    Path dir;

    @Test
    void sd15AndIfUNetsWith8GroupsAgreeAcrossRuntimes() throws Exception {
        compare("sd15-tiny", new long[] {2, 4, 8, 8}, 7, 32, 981);
        compare("if_i_m-tiny", new long[] {2, 3, 8, 8}, 5, 32, 990);
    }

    private void compare(String tinyConfig, long[] sampleShape, int tokens, int textDim, long timestep) throws Exception {
        JsonObject json;
        try (InputStream in = getClass().getResourceAsStream("/diffbench/models/unet/" + tinyConfig + ".json")) {
            json = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
        json.addProperty("norm_num_groups", 8);
        UNet2DConditionModel unet = new UNet2DConditionModel(UNet2DConditionConfig.parse(json.toString()).config(),
                AttentionKernel.MATH);
        Path sub = Files.createDirectories(dir.resolve(tinyConfig));
        Path archive = sub.resolve("unet.pt");
        var root = unet.emit(SyntheticWeights.seeded(3), StorageType.FLOAT32);
        ArchiveWriter.write(root, archive);
        Path twin = sub.resolve("unet_twin.py");
        Files.writeString(twin, PythonTwin.source(root, tinyConfig + " with norm_num_groups 8"));

        SplittableRandom random = new SplittableRandom(17);
        float[] sample = gaussian(random, (int) new Shape(sampleShape).size());
        long[] textShape = {sampleShape[0], tokens, textDim};
        float[] text = gaussian(random, (int) new Shape(textShape).size());
        Path inputs = sub.resolve("inputs.json");
        Files.writeString(inputs, new Gson().toJson(List.of(
                tensor("float32", sampleShape, sample), tensor("int64", new long[0], new long[] {timestep}),
                tensor("float32", textShape, text))));

        float[] jvm;
        try (LoadedModel m = new LoadedModel(unet, SyntheticWeights.seeded(3), OptionalLong.empty(), sub)) {
            NDArray out = m.forward(m.nd.create(sample, new Shape(sampleShape)), m.nd.create(timestep),
                    m.nd.create(text, new Shape(textShape))).singletonOrThrow();
            jvm = out.toFloatArray();
        }
        Path peer = Path.of("..", "peer").toAbsolutePath().normalize();
        TorchPython.Result r = TorchPython.run(List.of("python3", "-c", SCRIPT, peer.toString(), archive.toString(),
                twin.toString(), inputs.toString()));
        assertEquals(0, r.exit(), r.output());
        JsonObject got = JsonParser.parseString(r.lastLine()).getAsJsonObject();
        for (String side : new String[] {"scripted", "twin"}) {
            var values = got.getAsJsonArray(side);
            assertEquals(jvm.length, values.size(), tinyConfig + " " + side + ": size");
            double scale = 0;
            for (float v : jvm) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < jvm.length; i++) {
                assertEquals(jvm[i], values.get(i).getAsDouble(), 1e-4 * Math.max(1, scale),
                        tinyConfig + " with 8 groups, " + side + " in torch " + got.get("torch").getAsString() + " [" + i + "]");
            }
        }
        assertTrue(jvm.length > 0);
    }

    private static Map<String, Object> tensor(String dtype, long[] shape, Object values) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("dtype", dtype);
        t.put("shape", shape);
        t.put("values", values);
        return t;
    }

    private static float[] gaussian(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
