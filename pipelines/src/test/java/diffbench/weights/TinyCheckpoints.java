package diffbench.weights;

import diffbench.models.clip.CLIPTextModel;
import diffbench.nn.Layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Writes diffusers-style component folders (config.json + fp32 safetensors) for tests. */
public final class TinyCheckpoints {
    private TinyCheckpoints() {
    }

    /**
     * Writes {@code configJson} and every parameter of {@code network} (N(0, 0.05²), seeded by name)
     * into {@code folder}; returns the values written, by state_dict name.
     */
    public static Map<String, float[]> write(Path folder, String configJson, Layer network) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("config.json"), configJson);
        SafetensorsWriter w = new SafetensorsWriter();
        Map<String, float[]> values = new LinkedHashMap<>();
        network.namedParameters().forEach((name, p) -> {
            SplittableRandom r = new SplittableRandom(name.hashCode());
            float[] v = new float[(int) p.numel()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * 0.05);
            }
            values.put(name, v);
            w.add(name, SafetensorsDType.F32, p.shape(), v);
        });
        String file = network instanceof CLIPTextModel ? "model.safetensors" : "diffusion_pytorch_model.safetensors";
        w.write(folder.resolve(file));
        return values;
    }
}
