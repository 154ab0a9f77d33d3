package diffbench.weights;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import diffbench.torchscript.HalfFloats;
import diffbench.torchscript.TensorRef;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file from tensors held in memory: for tests, and for the named outputs of one
 * forward. Tensors are stored in the order added; the header is padded with spaces so the data
 * starts 8-byte aligned.
 */
public final class SafetensorsWriter {
    private record Tensor(SafetensorsDType dtype, long[] shape, byte[] data) {
    }

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Float values stored as {@code dtype} (F32, F16 or BF16, rounded to nearest even). */
    public SafetensorsWriter add(String name, SafetensorsDType dtype, long[] shape, float[] values) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(name + ": use addLongs for " + dtype);
        }
        ByteBuffer b = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            switch (dtype) {
                case F32 -> b.putFloat(v);
                case F16 -> b.putShort(HalfFloats.toFloat16(v));
                case BF16 -> b.putShort(HalfFloats.toBFloat16(v));
                case I64 -> throw new AssertionError();
            }
        }
        return addRaw(name, dtype, shape, b.array());
    }

    public SafetensorsWriter addLongs(String name, long[] shape, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return addRaw(name, SafetensorsDType.I64, shape, b.array());
    }

    /** Little-endian bytes already in {@code dtype} (e.g. an NDArray's buffer). */
    public SafetensorsWriter addRaw(String name, SafetensorsDType dtype, long[] shape, byte[] littleEndian) {
        if (littleEndian.length != TensorRef.numel(shape) * dtype.bytes()) {
            throw new IllegalArgumentException(name + ": " + littleEndian.length + " bytes for " + dtype + Arrays.toString(shape));
        }
        if (name.equals("__metadata__") || tensors.putIfAbsent(name, new Tensor(dtype, shape.clone(), littleEndian)) != null) {
            throw new IllegalArgumentException("tensor name '" + name + "' is reserved or used twice");
        }
        return this;
    }

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public void write(Path file) throws IOException {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject m = new JsonObject();
            metadata.forEach(m::addProperty);
            header.add("__metadata__", m);
        }
        long offset = 0;
        List<byte[]> data = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            JsonObject o = new JsonObject();
            o.addProperty("dtype", t.dtype().name());
            JsonArray shape = new JsonArray();
            for (long d : t.shape()) {
                shape.add(d);
            }
            o.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + t.data().length);
            o.add("data_offsets", offsets);
            header.add(e.getKey(), o);
            offset += t.data().length;
            data.add(t.data());
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(headerBytes);
            for (byte[] d : data) {
                out.write(d);
            }
        }
    }
}
