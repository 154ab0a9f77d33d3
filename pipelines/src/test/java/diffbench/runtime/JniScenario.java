package diffbench.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.HalfFloats;
import diffbench.torchscript.ModuleNode;
import diffbench.torchscript.ScriptClass;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.StorageType;
import diffbench.torchscript.TensorPayload;
import diffbench.torchscript.TensorRef;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;
import diffbench.torchscript.code.Torch;
import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static diffbench.torchscript.code.Torch.add;
import static diffbench.torchscript.code.Torch.mul;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.self;
import static diffbench.torchscript.code.Torch.softmax;
import static diffbench.torchscript.code.Torch.tuple;
import static diffbench.torchscript.code.Torch.var;

/**
 * One fixed workload through the engine — NDArray arithmetic the schedulers use, indexing, dtype
 * round trips, and a tiny TorchScript network with matmul-softmax-matmul attention (libtorch 1.13
 * has no scaled_dot_product_attention) — whose results, run on DJL's own JNI and on diffbench's,
 * must agree. Expected values in plain Java live in {@link #expected()}.
 */
final class JniScenario {

    static final float[] A = {0.5f, -1.25f, 2f, 3.5f, -0.75f, 1f};
    static final float[] W = {0.2f, -0.1f, 0.3f, 0.05f, 0.4f, -0.2f, -0.3f, 0.1f, 0.25f};
    static final float[] X = {0.1f, 0.2f, -0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f, 0.9f, 1.0f, 0.0f, -1.1f};

    private JniScenario() {}

    /** Writes the probe network: forward(x) = (softmax(q x^T * 0.5) x + q, q) with q = x w. */
    static Path writeProbe(Path dir) throws IOException {
        Var x = var("x");
        Body forward = new Body();
        // Torch.matmul and Torch.transpose: this class has float[] versions of its own
        Var q = forward.let("q", Torch.matmul(x, self("w")));
        Var s = forward.let("s", mul(Torch.matmul(q, Torch.transpose(x, -1, -2)), num(0.5)));
        Var p = forward.let("p", softmax(s, -1));
        Var out = forward.let("out", add(Torch.matmul(p, x), q));
        forward.ret(tuple(out, q));
        Body scaled = new Body();
        scaled.ret(mul(Torch.matmul(x, self("w")), var("k")));
        List<ScriptMethod> methods = List.of(
                new ScriptMethod("forward", List.of(Argument.tensor("x")), "Tuple[Tensor, Tensor]", forward.statements()),
                new ScriptMethod("scaled", List.of(Argument.tensor("x"), new Argument("k", "float")), "Tensor", scaled.statements()));
        ModuleNode root = new ModuleNode(new ScriptClass("__torch__.JniProbe", methods))
                .parameter("w", TensorRef.dense(StorageType.FLOAT32, new long[] {3, 3}, TensorPayload.of(W)));
        Path file = dir.resolve("jni-probe.pt");
        ArchiveWriter.write(root, file);
        return file;
    }

    /**
     * Runs the workload on CPU; results by name, flattened to fp32.
     *
     * @param bfloat16 include the bf16 round trip (DJL's own JNI aborts the process on bf16)
     */
    static Map<String, float[]> run(Path archive, boolean bfloat16) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = nd.create(A, new Shape(2, 3));
            NDArray b = nd.arange(6f).reshape(2, 3);
            out.put("add", a.add(b).toFloatArray());
            out.put("mulScalar", a.mul(2f).toFloatArray());
            out.put("subDiv", a.sub(b).div(3f).toFloatArray());
            out.put("powSqrt", a.pow(2f).sqrt().toFloatArray());
            out.put("exp", a.exp().toFloatArray());
            out.put("neg", a.neg().toFloatArray());
            out.put("clip", a.clip(-1f, 1f).toFloatArray());
            out.put("sum", new float[] {a.sum().getFloat()});
            out.put("meanAxis", a.mean(new int[] {1}).toFloatArray());
            out.put("transpose", a.transpose().toFloatArray());
            out.put("concat", a.concat(b, 0).toFloatArray());
            out.put("stack", NDArrays.stack(new NDList(a, b), 0).get(1).toFloatArray());
            out.put("split", a.split(new long[] {1}, 1).get(1).toFloatArray());
            out.put("slice", a.get(new NDIndex(":, 1:")).toFloatArray());
            out.put("row", a.get(1).toFloatArray());
            NDArray c = a.duplicate();
            c.set(new NDIndex("0, :"), 7f);
            c.addi(b);
            out.put("setAddi", c.toFloatArray());
            out.put("fp16", a.toType(DataType.FLOAT16, true).toType(DataType.FLOAT32, true).toFloatArray());
            if (bfloat16) {
                out.put("bf16", a.toType(DataType.BFLOAT16, true).toType(DataType.FLOAT32, true).toFloatArray());
            }
            out.put("squeeze", a.expandDims(0).squeeze().toFloatArray());

            try (Network net = Network.load(archive, Device.cpu(), OptionalLong.empty())) {
                NDArray x = net.manager().create(X, new Shape(4, 3));
                NDList result = net.forward(new NDList(x));
                out.put("forward.out", result.get(0).toFloatArray());
                out.put("forward.q", result.get(1).toFloatArray());
                try (IValue xi = IValue.from((PtNDArray) x);
                        IValue k = IValue.from(3.0);
                        IValue r = IValueUtils.runMethod(net.block(), "scaled", xi, k)) {
                    out.put("scaled", r.toTensor((PtNDManager) net.manager()).toFloatArray());
                }
            }
        }
        return out;
    }

    /** The same results computed in plain Java (fp16/bf16 rounding emulated). */
    static Map<String, float[]> expected(boolean bfloat16) {
        Map<String, float[]> e = new LinkedHashMap<>();
        float[] b = {0, 1, 2, 3, 4, 5};
        e.put("add", map2(A, b, Float::sum));
        e.put("mulScalar", map(A, v -> v * 2));
        e.put("subDiv", map2(A, b, (x, y) -> (x - y) / 3f));
        e.put("powSqrt", map(A, Math::abs));
        e.put("exp", map(A, v -> (float) Math.exp(v)));
        e.put("neg", map(A, v -> -v));
        e.put("clip", map(A, v -> Math.max(-1f, Math.min(1f, v))));
        float sum = 0;
        for (float v : A) {
            sum += v;
        }
        e.put("sum", new float[] {sum});
        e.put("meanAxis", new float[] {(A[0] + A[1] + A[2]) / 3, (A[3] + A[4] + A[5]) / 3});
        e.put("transpose", new float[] {A[0], A[3], A[1], A[4], A[2], A[5]});
        e.put("concat", concat(A, b));
        e.put("stack", b);
        e.put("split", new float[] {A[1], A[2], A[4], A[5]});
        e.put("slice", new float[] {A[1], A[2], A[4], A[5]});
        e.put("row", new float[] {A[3], A[4], A[5]});
        e.put("setAddi", new float[] {7, 8, 9, A[3] + 3, A[4] + 4, A[5] + 5});
        e.put("fp16", map(A, v -> HalfFloats.fromFloat16(HalfFloats.toFloat16(v))));
        if (bfloat16) {
            e.put("bf16", map(A, v -> Float.intBitsToFloat(Float.floatToIntBits(v) & 0xFFFF0000))); // A is exact in bf16
        }
        e.put("squeeze", A);
        float[] q = matmul(X, 4, 3, W, 3);
        float[] s = matmul(q, 4, 3, transpose(X, 4, 3), 4);
        for (int i = 0; i < 4; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < 4; j++) {
                s[i * 4 + j] *= 0.5f;
                max = Math.max(max, s[i * 4 + j]);
            }
            float z = 0;
            for (int j = 0; j < 4; j++) {
                s[i * 4 + j] = (float) Math.exp(s[i * 4 + j] - max);
                z += s[i * 4 + j];
            }
            for (int j = 0; j < 4; j++) {
                s[i * 4 + j] /= z;
            }
        }
        e.put("forward.out", map2(matmul(s, 4, 4, X, 3), q, Float::sum));
        e.put("forward.q", q);
        e.put("scaled", map(q, v -> v * 3));
        return e;
    }

    private interface F1 {
        float apply(float v);
    }

    private interface F2 {
        float apply(float x, float y);
    }

    private static float[] map(float[] a, F1 f) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = f.apply(a[i]);
        }
        return r;
    }

    private static float[] map2(float[] a, float[] b, F2 f) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = f.apply(a[i], b[i]);
        }
        return r;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] r = new float[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                r[j * rows + i] = m[i * cols + j];
            }
        }
        return r;
    }

    private static float[] matmul(float[] a, int n, int k, float[] b, int m) {
        float[] r = new float[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double acc = 0;
                for (int t = 0; t < k; t++) {
                    acc += (double) a[i * k + t] * b[t * m + j];
                }
                r[i * m + j] = (float) acc;
            }
        }
        return r;
    }

    /** |a - e| <= tol * max(1, |e|) for every element of every result. */
    static void assertClose(Map<String, float[]> expected, Map<String, float[]> actual, double tol, String what) {
        Assertions.assertEquals(expected.keySet(), actual.keySet(), what + ": result names");
        for (String name : expected.keySet()) {
            float[] e = expected.get(name);
            float[] a = actual.get(name);
            Assertions.assertEquals(e.length, a.length, what + ": length of " + name);
            for (int i = 0; i < e.length; i++) {
                double err = Math.abs(e[i] - a[i]);
                if (!(err <= tol * Math.max(1, Math.abs(e[i])))) {
                    throw new AssertionError(what + ": " + name + "[" + i + "] = " + a[i] + ", expected " + e[i]
                            + " (tolerance " + tol + ")");
                }
            }
        }
    }
}
