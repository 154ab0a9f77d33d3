package diffbench.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** name=v1,v2,... lines; floats as exact hex bit patterns so nothing is lost in the round trip. */
final class ReferenceFile {

    private ReferenceFile() {}

    static void write(Path file, Map<String, float[]> results) throws IOException {
        StringBuilder s = new StringBuilder();
        results.forEach((name, values) -> {
            s.append(name).append('=');
            for (int i = 0; i < values.length; i++) {
                s.append(i == 0 ? "" : ",").append(Integer.toHexString(Float.floatToRawIntBits(values[i])));
            }
            s.append('\n');
        });
        Files.createDirectories(file.getParent());
        Files.writeString(file, s);
    }

    static Map<String, float[]> read(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines) {
            int eq = line.indexOf('=');
            String[] parts = line.substring(eq + 1).split(",");
            float[] values = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                values[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[i], 16));
            }
            out.put(line.substring(0, eq), values);
        }
        return out;
    }
}
