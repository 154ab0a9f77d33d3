package diffbench.weights;

import diffbench.torchscript.HalfFloats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safetensors reader and writer: round trips per dtype, and a clear error for each kind of corrupt file. */
class SafetensorsFormatTest {
    @TempDir
    Path dir;

    @Test
    void writtenTensorsReadBackInEveryDtype() throws Exception {
        float[] v = {0f, 1f, -2.5f, 1e-3f, 65504f, -0.099975586f};
        long[] ids = {49406, 320, 49407, 0, Long.MAX_VALUE, -1};
        Path f = dir.resolve("t.safetensors");
        new SafetensorsWriter()
                .add("a.f32", SafetensorsDType.F32, new long[] {2, 3}, v)
                .add("a.f16", SafetensorsDType.F16, new long[] {6}, v)
                .add("a.bf16", SafetensorsDType.BF16, new long[] {3, 2}, v)
                .addLongs("input_ids", new long[] {1, 6}, ids)
                .add("scalar", SafetensorsDType.F32, new long[] {}, new float[] {999f})
                .metadata("format", "pt")
                .write(f);
        SafetensorsFile file = SafetensorsFile.open(f);
        assertEquals(List.of("a.f32", "a.f16", "a.bf16", "input_ids", "scalar"), List.copyOf(file.entries().keySet()));
        assertEquals("pt", file.metadata().get("format"));
        assertArrayEquals(v, file.readFloats("a.f32"));
        assertArrayEquals(v, file.readFloats("a.f16"), 1e-3f); // every value is fp16-representable to this precision
        float[] bf16 = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            bf16[i] = HalfFloats.fromBFloat16(HalfFloats.toBFloat16(v[i]));
        }
        assertArrayEquals(bf16, file.readFloats("a.bf16"));
        assertEquals(65536f, bf16[4], "65504 rounds up to 2^16 in bf16");
        assertArrayEquals(ids, file.readLongs("input_ids"));
        assertArrayEquals(new long[] {1, 6}, file.entry("input_ids").shape());
        assertArrayEquals(new float[] {999f}, file.readFloats("scalar"));
        assertEquals(0, (8 + ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()) % 8,
                "data starts 8-byte aligned");
    }

    @Test
    void aTruncatedFileNamesItselfAndTheTensorOutsideIt() throws Exception {
        Path f = dir.resolve("w.safetensors");
        new SafetensorsWriter().add("w", SafetensorsDType.F32, new long[] {64}, new float[64]).write(f);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 100));
        String m = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(f)).getMessage();
        assertTrue(m.contains(f.toString()) && m.contains("'w'") && m.contains("outside"), m);
        Files.write(f, Arrays.copyOf(all, 20));
        m = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(f)).getMessage();
        assertTrue(m.contains(f.toString()) && m.contains("truncated"), m);
        Files.write(f, new byte[] {1, 2, 3});
        m = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(f)).getMessage();
        assertTrue(m.contains("too short"), m);
    }

    @Test
    void garbageJsonAndBadDescriptionsAreNamed() throws Exception {
        expect("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]", 8, "not valid JSON");
        expect("[1, 2, 3]", 8, "not a JSON object");
        expect("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 16]}}", 8, "outside the 8 data bytes");
        expect("{\"w\": {\"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [0, 8]}}", 8, "dtype F64, which is not supported");
        expect("{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 8, "spans 8 bytes but F32[3] needs 12");
        expect("{\"w\": {\"dtype\": \"F32\", \"shape\": [2]}}", 8, "lacks one of dtype, shape, data_offsets");
        expect("{\"w\": {\"dtype\": \"F32\", \"shape\": \"two\", \"data_offsets\": [0, 8]}}", 8, "malformed description");
    }

    /** Issue 16 item 4: tensors must cover the data bytes exactly, in offset order. */
    @Test
    void overlapsHolesAndTrailingBytesAreRefused() throws Exception {
        expect("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12,
                "tensor 'b' (data_offsets [4, 12]) overlaps tensor 'a' (up to 8): the format forbids overlapping tensors");
        expect("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8,
                "overlaps tensor 'a'");
        expect("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]}}", 12,
                "the 4 data bytes before tensor 'b' (from 4) belong to no tensor: the format forbids holes");
        expect("{\"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8,
                "the 4 data bytes before tensor 'b' (from 0)");
        expect("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 8,
                "the last 4 data bytes (from 4) belong to no tensor");
        // header order need not be offset order, and an empty tensor takes no bytes
        Path f = dir.resolve("ok.safetensors");
        writeRaw(f, "{\"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]},"
                + " \"e\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [4, 4]},"
                + " \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 8);
        assertEquals(List.of("b", "e", "a"), List.copyOf(SafetensorsFile.open(f).entries().keySet()));
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = dir.resolve("nothing.safetensors");
        String m = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(f)).getMessage();
        assertTrue(m.contains(f.toString()) && m.contains("no such file"), m);
    }

    private static void writeRaw(Path f, String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(f, b.array());
    }

    private void expect(String header, int dataBytes, String message) throws Exception {
        Path f = dir.resolve("bad.safetensors");
        writeRaw(f, header, dataBytes);
        String m = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(f)).getMessage();
        assertTrue(m.startsWith(f.toString()) && m.contains(message), m);
    }
}
