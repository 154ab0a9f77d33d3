package diffbench.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * With {@code --outputs DIR} (property {@value #PROPERTY}), each cell's output images of its last call
 * as raw little-endian float32 in [-1, 1], {@code <pipeline>-b<batch>-<mode>-<dtype>-<image>.f32}
 * (shape B x 3 x H x W), so two modes' outputs can be compared (CI: compiled against eager).
 */
final class OutputDump {
    static final String PROPERTY = "diffbench.outputs";

    private OutputDump() {
    }

    static void write(PipelineBenchmark cell, String image, NDArray images) {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isBlank()) {
            return;
        }
        float[] values = images.toType(DataType.FLOAT32, false).toFloatArray();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Path file = Path.of(dir, cell.pipeline + "-b" + cell.batch + "-" + cell.mode + "-" + cell.dtype + "-" + image + ".f32");
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, bytes.array());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the output images to " + file, e);
        }
    }
}
