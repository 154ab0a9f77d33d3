package diffbench.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import diffbench.schema.JsonErrors;
import diffbench.torchscript.HalfFloats;
import diffbench.torchscript.TensorPayload;
import diffbench.torchscript.TensorRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file: 8 bytes little-endian header length n, n bytes of JSON ({@code name →
 * {dtype, shape, data_offsets}} plus optional {@code __metadata__}), then the raw little-endian
 * tensor bytes, offsets relative to the end of the header. Opening reads and checks the header
 * only; tensor values are streamed from the file in chunks when asked for, so a multi-GB checkpoint
 * never sits in the heap. (DJL's {@code NDList.decode} reads a whole file into one array, so it
 * does not serve here.)
 */
public final class SafetensorsFile {
    /** The safetensors format caps the header at 100 MB. */
    static final long MAX_HEADER = 100L * 1024 * 1024;
    private static final int CHUNK_BYTES = 1 << 20;

    /** One tensor: where its bytes lie in the file (absolute positions). */
    public record Entry(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {
        public long numel() {
            return TensorRef.numel(shape);
        }

        @Override
        public String toString() {
            return name + " " + dtype + Arrays.toString(shape);
        }
    }

    private final Path path;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, Map<String, Entry> entries, Map<String, String> metadata) {
        this.path = path;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Reads and checks the header; every problem names the file. */
    public static SafetensorsFile open(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(path, "is " + size + " bytes, too short to hold a header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, path);
            long n = len.flip().getLong();
            if (n < 2 || n > size - 8 || n > MAX_HEADER) {
                throw bad(path, "declares a header of " + Long.toUnsignedString(n) + " bytes but the file holds "
                        + (size - 8) + " bytes after the length (truncated or not a safetensors file)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) n);
            readFully(ch, header, 8, path);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            return parse(path, json, 8 + n, size);
        } catch (NoSuchFileException e) {
            throw new SafetensorsFormatException(path + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static SafetensorsFile parse(Path path, String json, long dataStart, long fileSize) {
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(json.stripTrailing());
            if (!e.isJsonObject()) {
                throw bad(path, "header is not a JSON object");
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new SafetensorsFormatException(path + ": header is not valid JSON: " + JsonErrors.describe(e), e);
        }
        long dataSize = fileSize - dataStart;
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                if (e.getValue().isJsonObject()) {
                    e.getValue().getAsJsonObject().entrySet().forEach(m -> metadata.put(m.getKey(),
                            m.getValue().isJsonPrimitive() ? m.getValue().getAsString() : m.getValue().toString()));
                }
                continue;
            }
            entries.put(name, entry(path, name, e.getValue(), dataStart, dataSize));
        }
        checkLayout(path, entries.values(), dataStart, dataSize);
        return new SafetensorsFile(path, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata));
    }

    /**
     * The format's rule for the data section: the tensors, in offset order, cover it exactly, with no
     * overlap (one tensor would read another's bytes), no hole and nothing after the last one.
     */
    private static void checkLayout(Path path, Collection<Entry> entries, long dataStart, long dataSize) {
        List<Entry> byOffset = entries.stream()
                .sorted(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end)).toList();
        long expected = dataStart;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < expected) {
                throw bad(path, "tensor '" + e.name() + "' (data_offsets [" + (e.begin() - dataStart) + ", " + (e.end() - dataStart)
                        + "]) overlaps tensor '" + previous.name() + "' (up to " + (expected - dataStart)
                        + "): the format forbids overlapping tensors (corrupt or hand-edited file)");
            }
            if (e.begin() > expected) {
                throw bad(path, "the " + (e.begin() - expected) + " data bytes before tensor '" + e.name() + "' (from "
                        + (expected - dataStart) + ") belong to no tensor: the format forbids holes (corrupt or hand-edited file)");
            }
            expected = e.end();
            previous = e;
        }
        if (expected != dataStart + dataSize) {
            throw bad(path, "the last " + (dataStart + dataSize - expected) + " data bytes (from " + (expected - dataStart)
                    + ") belong to no tensor: the format forbids trailing data (corrupt or hand-edited file)");
        }
    }

    private static Entry entry(Path path, String name, JsonElement value, long dataStart, long dataSize) {
        String where = "tensor '" + name + "'";
        try {
            if (!value.isJsonObject()) {
                throw bad(path, where + " is not described by a JSON object");
            }
            JsonObject o = value.getAsJsonObject();
            if (!o.has("dtype") || !o.has("shape") || !o.has("data_offsets")) {
                throw bad(path, where + " lacks one of dtype, shape, data_offsets");
            }
            String dtypeName = o.get("dtype").getAsString();
            SafetensorsDType dtype = SafetensorsDType.fromHeader(dtypeName);
            if (dtype == null) {
                throw bad(path, where + " has dtype " + dtypeName + ", which is not supported (use F32, F16, BF16 or I64)");
            }
            JsonArray s = o.getAsJsonArray("shape");
            long[] shape = new long[s.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = s.get(i).getAsLong();
                if (shape[i] < 0) {
                    throw bad(path, where + " has a negative dimension in shape " + s);
                }
            }
            JsonArray off = o.getAsJsonArray("data_offsets");
            if (off.size() != 2) {
                throw bad(path, where + " has data_offsets " + off + ", not [begin, end]");
            }
            long begin = off.get(0).getAsLong();
            long end = off.get(1).getAsLong();
            if (begin < 0 || end < begin || end > dataSize) {
                throw bad(path, where + " has data_offsets [" + begin + ", " + end + "] outside the " + dataSize
                        + " data bytes of the file (truncated or corrupt)");
            }
            Entry entry = new Entry(name, dtype, shape, dataStart + begin, dataStart + end);
            if (end - begin != entry.numel() * dtype.bytes()) {
                throw bad(path, where + " spans " + (end - begin) + " bytes but " + dtype + Arrays.toString(shape) + " needs "
                        + entry.numel() * dtype.bytes());
            }
            return entry;
        } catch (IllegalStateException | UnsupportedOperationException | ClassCastException | NumberFormatException e) {
            throw new SafetensorsFormatException(path + ": " + where + " has a malformed description " + value, e);
        }
    }

    public Path path() {
        return path;
    }

    /** Tensors by name, in header order. */
    public Map<String, Entry> entries() {
        return entries;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(path + " has no tensor '" + name + "' (it has " + entries.keySet() + ")");
        }
        return e;
    }

    /** The values of a floating-point tensor as fp32, streamed from the file at each emission. */
    public TensorPayload payload(Entry e) {
        if (!e.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(path + ": tensor '" + e.name() + "' is " + e.dtype() + ", not floating point");
        }
        return (numel, sink) -> {
            if (numel != e.numel()) {
                throw new IllegalArgumentException(e + " holds " + e.numel() + " values, " + numel + " requested");
            }
            int width = e.dtype().bytes();
            float[] chunk = new float[CHUNK_BYTES / width];
            ByteBuffer buf = ByteBuffer.allocate(chunk.length * width).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                for (long pos = e.begin(); pos < e.end(); ) {
                    int n = (int) Math.min(buf.capacity(), e.end() - pos);
                    buf.clear().limit(n);
                    readFully(ch, buf, pos, path);
                    buf.flip();
                    int count = n / width;
                    for (int i = 0; i < count; i++) {
                        chunk[i] = switch (e.dtype()) {
                            case F32 -> buf.getFloat();
                            case F16 -> HalfFloats.fromFloat16(buf.getShort());
                            case BF16 -> HalfFloats.fromBFloat16(buf.getShort());
                            case I64 -> throw new AssertionError();
                        };
                    }
                    sink.accept(chunk, count);
                    pos += n;
                }
            }
        };
    }

    /** A small floating-point tensor's values as fp32 (inputs of one forward, tests). */
    public float[] readFloats(String name) {
        Entry e = entry(name);
        float[] out = new float[Math.toIntExact(e.numel())];
        int[] at = {0};
        try {
            payload(e).emit(e.numel(), (values, count) -> {
                System.arraycopy(values, 0, out, at[0], count);
                at[0] += count;
            });
        } catch (IOException ex) {
            throw new UncheckedIOException(path + ": cannot read tensor '" + name + "': " + ex.getMessage(), ex);
        }
        return out;
    }

    /** A small int64 tensor's values (token ids, timesteps). */
    public long[] readLongs(String name) {
        Entry e = entry(name);
        if (e.dtype() != SafetensorsDType.I64) {
            throw new IllegalArgumentException(path + ": tensor '" + name + "' is " + e.dtype() + ", not I64");
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            readFully(ch, buf, e.begin(), path);
        } catch (IOException ex) {
            throw new UncheckedIOException(path + ": cannot read tensor '" + name + "': " + ex.getMessage(), ex);
        }
        buf.flip();
        long[] out = new long[Math.toIntExact(e.numel())];
        buf.asLongBuffer().get(out);
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path path) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new SafetensorsFormatException(path + ": ends at byte " + pos + ", before the data its header declares");
            }
            pos += r;
        }
    }

    private static SafetensorsFormatException bad(Path path, String what) {
        return new SafetensorsFormatException(path + ": " + what);
    }
}
