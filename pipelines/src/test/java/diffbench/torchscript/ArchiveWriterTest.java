package diffbench.torchscript;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Layer;
import diffbench.nn.Transformer2DModel;
import diffbench.runtime.Network;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;
import diffbench.weights.SyntheticWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static diffbench.torchscript.code.Torch.add;
import static diffbench.torchscript.code.Torch.eq;
import static diffbench.torchscript.code.Torch.item;
import static diffbench.torchscript.code.Torch.mean;
import static diffbench.torchscript.code.Torch.mul;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.self;
import static diffbench.torchscript.code.Torch.str;
import static diffbench.torchscript.code.Torch.var;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveWriterTest {
    @TempDir
    Path dir;

    private static Layer tree() {
        return new Transformer2DModel(32, 2, 16, 1, false, false, 32, AttentionKernel.SDPA);
    }

    @Test
    void sameTreeGivesIdenticalBytes() throws IOException {
        Path a = dir.resolve("a.pt");
        Path b = dir.resolve("b.pt");
        ArchiveWriter.write(tree().emit(SyntheticWeights.seeded(3), StorageType.FLOAT16), a);
        ArchiveWriter.write(tree().emit(SyntheticWeights.seeded(3), StorageType.FLOAT16), b);
        assertEquals(-1, Files.mismatch(a, b));
        Path c = dir.resolve("c.pt");
        ArchiveWriter.write(tree().emit(SyntheticWeights.seeded(4), StorageType.FLOAT16), c);
        assertTrue(Files.mismatch(a, c) >= 0, "another seed gives other bytes");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)),
                "an exported archive is readable by others, as any file a command writes");
    }

    @Test
    void recordsAreStoredAndStoragesAlignedTo64Bytes() throws IOException {
        Path f = dir.resolve("t.pt");
        ArchiveWriter.write(tree().emit(SyntheticWeights.seeded(1), StorageType.BFLOAT16), f);
        byte[] zip = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        int storages = 0;
        while (b.getInt(pos) == 0x04034b50) {
            assertEquals(0, b.getShort(pos + 8), "stored, not compressed");
            int size = b.getInt(pos + 18);
            int nameLen = b.getShort(pos + 26);
            int extraLen = b.getShort(pos + 28);
            String name = new String(zip, pos + 30, nameLen, StandardCharsets.UTF_8);
            int data = pos + 30 + nameLen + extraLen;
            if (name.startsWith("archive/data/")) {
                assertEquals(0, data % 64, name + " starts at " + data);
                storages++;
            }
            pos = data + size;
        }
        List<String> names = ArchiveInspector.recordNames(f);
        assertTrue(names.containsAll(List.of("archive/data.pkl", "archive/code/__torch__/diffbench/nn.py",
                "archive/constants.pkl", "archive/version", "archive/byteorder")), names.toString());
        assertEquals(tree().namedParameters().size(), storages);
    }

    @Test
    void inspectorReadsBackNamesShapesAndTypes() throws IOException {
        Path f = dir.resolve("t.pt");
        Layer layer = tree();
        ArchiveWriter.write(layer.emit(SyntheticWeights.seeded(1), StorageType.FLOAT16), f);
        Map<String, ArchiveInspector.TensorInfo> tensors = ArchiveInspector.inspect(f);
        assertEquals(layer.namedParameters().keySet(), tensors.keySet());
        layer.namedParameters().forEach((k, v) -> {
            assertArrayEquals(v.shape(), tensors.get(k).shape(), k);
            assertEquals(StorageType.FLOAT16, tensors.get(k).type(), k);
        });
    }

    @Test
    void onDeviceSyntheticWeightsAreTinyOnDiskAndDrawnFromTheSeed() throws IOException {
        Path f = dir.resolve("synthetic.pt");
        Layer layer = tree();
        ArchiveWriter.write(layer.emit(SyntheticWeights.onDevice(), StorageType.FLOAT32), f);
        assertTrue(Files.size(f) < 64 * 1024, "one element per storage: " + Files.size(f) + " bytes");
        float[] first = runOnDevice(f, 11);
        float[] again = runOnDevice(f, 11);
        float[] other = runOnDevice(f, 12);
        assertArrayEquals(first, again, "same seed, same weights, same output");
        assertFalse(Arrays.equals(first, other), "another seed draws other weights");
        for (float v : first) {
            assertTrue(Float.isFinite(v));
        }
    }

    private static float[] runOnDevice(Path archive, long seed) {
        try (Network n = Network.load(archive, Device.cpu(), OptionalLong.of(seed))) {
            NDArray x = n.manager().ones(new Shape(1, 32, 4, 4));
            NDArray ctx = n.manager().ones(new Shape(1, 3, 16));
            return n.forward(new NDList(x, ctx)).singletonOrThrow().toFloatArray();
        }
    }

    @Test
    void truncatedArchiveIsReportedNotLoaded() throws IOException {
        Path f = dir.resolve("t.pt");
        ArchiveWriter.write(tree().emit(SyntheticWeights.seeded(1), StorageType.FLOAT32), f);
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.pt");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        ArchiveFormatException e = assertThrows(ArchiveFormatException.class,
                () -> Network.load(cut, Device.cpu(), OptionalLong.empty()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("cut.pt"), e.getMessage());
    }

    @Test
    void wrongStorageSizeNamesTheRecord() throws IOException {
        Path f = dir.resolve("t.pt");
        ArchiveWriter.write(tree().emit(SyntheticWeights.seeded(1), StorageType.FLOAT32), f);
        Path bad = rewrite(f, "bad-size.pt", (name, data) -> name.equals("archive/data/3") ? Arrays.copyOf(data, data.length - 4) : data);
        ArchiveFormatException e = assertThrows(ArchiveFormatException.class,
                () -> Network.load(bad, Device.cpu(), OptionalLong.empty()));
        assertTrue(e.getMessage().contains("record archive/data/3"), e.getMessage());
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
    }

    @Test
    void unknownStorageTypeNamesTheRecord() throws IOException {
        Path f = dir.resolve("t.pt");
        ArchiveWriter.write(tree().emit(SyntheticWeights.seeded(1), StorageType.FLOAT32), f);
        Path bad = rewrite(f, "bad-type.pt", (name, data) -> name.equals("archive/data.pkl")
                ? new String(data, StandardCharsets.ISO_8859_1).replace("FloatStorage", "Float8Storage").getBytes(StandardCharsets.ISO_8859_1)
                : data);
        ArchiveFormatException e = assertThrows(ArchiveFormatException.class, () -> ArchiveInspector.inspect(bad));
        assertTrue(e.getMessage().contains("unknown dtype torch.Float8Storage"), e.getMessage());
        assertTrue(e.getMessage().contains("record archive/data/0"), e.getMessage());
    }

    @Test
    void missingStorageRecordIsNamed() throws IOException {
        Path f = dir.resolve("t.pt");
        ArchiveWriter.write(tree().emit(SyntheticWeights.seeded(1), StorageType.FLOAT32), f);
        Path bad = rewrite(f, "missing.pt", (name, data) -> name.equals("archive/data/5") ? null : data);
        ArchiveFormatException e = assertThrows(ArchiveFormatException.class, () -> ArchiveInspector.inspect(bad));
        assertTrue(e.getMessage().contains("record archive/data/5") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void classesOfOneNameMustAgree() {
        Body identity = new Body();
        identity.ret(X);
        Body negated = new Body();
        negated.ret(mul(X, num(-1)));
        ScriptClass a = new ScriptClass("__torch__.diffbench.t.Twin", List.of(forward(identity)));
        ScriptClass b = new ScriptClass("__torch__.diffbench.t.Twin", List.of(forward(negated)));
        ScriptClass root = new ScriptClass("__torch__.diffbench.t.Root", List.of());
        ModuleNode tree = new ModuleNode(root).child("a", new ModuleNode(a)).child("b", new ModuleNode(b));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ArchiveWriter.write(tree, dir.resolve("x.pt")));
        assertTrue(e.getMessage().contains("__torch__.diffbench.t.Twin"), e.getMessage());
    }

    @Test
    void plainAttributesOfEveryKindLoadAndReachTheMethods() throws IOException {
        Body body = new Body();
        Var offsets = body.let("offsets", self("offsets"));
        Var sizes = body.let("sizes", self("sizes"));
        Var a = body.let("a", mul(X, self("scale")));
        Var b = body.let("b", add(a, item(offsets, 1)));
        Var c = body.let("c", add(b, item(sizes, 0)));
        // a bool is a number to aten (True = 1); a str reaches aten::eq.str. The typed statements have no
        // dict lookup (no network reads one): the dict is checked by its declaration and by loading.
        Var d = body.let("d", add(c, self("flag")));
        body.ret(mul(d, eq(self("label"), str("ab"))));
        ModuleNode root = new ModuleNode(new ScriptClass("__torch__.diffbench.t.Attrs", List.of(forward(body))))
                .attribute("scale", 2.0)
                .attribute("offsets", PickleTuple.of(1L, 3.0))
                .attribute("table", Map.of("k", 10.0))
                .attribute("sizes", List.of(100L))
                .attribute("flag", true)
                .attribute("label", "ab");
        Path f = dir.resolve("attrs.pt");
        ArchiveWriter.write(root, f);
        String source = ClassSources.of(root).files().get("__torch__/diffbench/t.py");
        assertTrue(source.contains("  table : Dict[str, float]\n") && source.contains("  offsets : Tuple[int, float]\n"), source);
        try (Network net = Network.load(f, Device.cpu(), OptionalLong.empty())) {
            float[] out = net.forward(new NDList(net.manager().create(new float[] {1f, 2f}))).singletonOrThrow().toFloatArray();
            // (x * 2 + 3 + 100 + 1) * 1
            assertArrayEquals(new float[] {2 + 104f, 4 + 104f}, out);
        }
    }

    /** Storages past 4 GiB need ZIP64 offsets; libtorch must find them (5 x 900 MB, constant values). */
    @Test
    void archivesLargerThan4GiBUseZip64AndLoad() throws IOException {
        Body body = new Body();
        body.ret(add(X, mean(self("p4"), 0, false)));
        ScriptClass holder = new ScriptClass("__torch__.diffbench.t.Holder", List.of(forward(body)));
        ModuleNode root = new ModuleNode(holder);
        long n = 225L * 1024 * 1024; // 900 MB of fp32 each
        for (int i = 0; i < 5; i++) {
            root.parameter("p" + i, TensorRef.dense(StorageType.FLOAT32, new long[] {n}, TensorPayload.constant(i)));
        }
        Path f = dir.resolve("big.pt");
        ArchiveWriter.write(root, f);
        assertTrue(Files.size(f) > 4L * 1024 * 1024 * 1024);
        assertEquals(5, ArchiveInspector.inspect(f).size());
        try (Network net = Network.load(f, Device.cpu(), OptionalLong.empty())) {
            float[] out = net.forward(new NDList(net.manager().zeros(new Shape(1)))).singletonOrThrow().toFloatArray();
            assertEquals(4.0, out[0], 4.0 * 1e-3, "the last storage, beyond 4 GiB, holds its values");
        } finally {
            Files.deleteIfExists(f);
        }
    }

    private static final Var X = var("x");

    private static ScriptMethod forward(Body body) {
        return new ScriptMethod("forward", List.of(ScriptMethod.Argument.tensor("x")), "Tensor", body.statements());
    }

    private interface RecordEdit {
        byte[] apply(String name, byte[] data);
    }

    /** Copies an archive record by record through an edit (null drops the record). */
    private Path rewrite(Path source, String name, RecordEdit edit) throws IOException {
        Path out = dir.resolve(name);
        try (ZipFile in = new ZipFile(source.toFile()); OutputStream os = Files.newOutputStream(out);
             ZipOutputStream zos = new ZipOutputStream(os)) {
            for (ZipEntry e : Collections.list(in.entries())) {
                byte[] data;
                try (InputStream is = in.getInputStream(e)) {
                    data = edit.apply(e.getName(), is.readAllBytes());
                }
                if (data != null) {
                    zos.putNextEntry(new ZipEntry(e.getName()));
                    zos.write(data);
                    zos.closeEntry();
                }
            }
        }
        return out;
    }
}
