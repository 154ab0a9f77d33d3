package diffbench.torchscript;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the pickle (protocol 2) of a module tree the way torch's unpickler reads TorchScript
 * archives: modules as {@code GLOBAL; EMPTY_TUPLE; NEWOBJ; dict; BUILD}, tensors through
 * {@code torch._utils._rebuild_tensor_v2} with a persistent storage id. Storage keys are assigned
 * in the order tensors are first met, so the same tree always gives the same bytes.
 */
final class Pickler {
    private static final int PROTO = 0x80, NEWOBJ = 0x81, NEWTRUE = 0x88, NEWFALSE = 0x89, LONG1 = 0x8a;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<TensorRef, String> storageKeys;

    /** @param storageKeys filled with each distinct tensor's storage key as it is pickled */
    Pickler(IdentityHashMap<TensorRef, String> storageKeys) {
        this.storageKeys = storageKeys;
    }

    byte[] pickleRoot(ModuleNode root) {
        out.write(PROTO);
        out.write(2);
        module(root);
        out.write('.');
        return out.toByteArray();
    }

    private void module(ModuleNode m) {
        global(m.scriptClass().qualifier(), m.scriptClass().simpleName());
        out.write(')');
        out.write(NEWOBJ);
        out.write('}');
        out.write('(');
        string("training");
        bool(false);
        m.parameters().forEach((k, v) -> {
            string(k);
            tensor(v);
        });
        m.buffers().forEach((k, v) -> {
            string(k);
            tensor(v);
        });
        m.children().forEach((k, v) -> {
            string(k);
            module(v);
        });
        m.attributes().forEach((k, v) -> {
            string(k);
            value(v);
        });
        out.write('u');
        out.write('b');
    }

    private void tensor(TensorRef t) {
        String key = storageKeys.computeIfAbsent(t, x -> Integer.toString(storageKeys.size()));
        global("torch._utils", "_rebuild_tensor_v2");
        out.write('(');
        out.write('(');
        string("storage");
        global("torch", t.type().torchName());
        string(key);
        string("cpu");
        integer(t.storageNumel());
        out.write('t');
        out.write('Q');
        integer(0);
        longTuple(t.shape());
        longTuple(t.strides());
        bool(false);
        global("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        out.write('t');
        out.write('R');
    }

    private void value(Object v) {
        if (v instanceof Boolean b) {
            bool(b);
        } else if (v instanceof Long l) {
            integer(l);
        } else if (v instanceof Double d) {
            binFloat(d);
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof List<?> list) {
            // typed lists go through torch.jit._pickle.build_*list, as torch pickles them, so the
            // unpickled IValue is an IntList / DoubleList that List[int] / List[float] accept
            global("torch.jit._pickle", list.isEmpty() || list.get(0) instanceof Long ? "build_intlist" : "build_doublelist");
            out.write('(');
            out.write(']');
            if (!list.isEmpty()) {
                out.write('(');
                list.forEach(this::value);
                out.write('e');
            }
            out.write('t');
            out.write('R');
        } else if (v instanceof PickleTuple t) {
            out.write('(');
            t.items().forEach(this::value);
            out.write('t');
        } else if (v instanceof Map<?, ?> map) {
            out.write('}');
            if (!map.isEmpty()) {
                out.write('(');
                // sorted keys: the same attributes give the same bytes whatever the map's order
                new TreeMap<>(map).forEach((k, x) -> {
                    value(k);
                    value(x);
                });
                out.write('u');
            }
        } else {
            throw new IllegalArgumentException("cannot pickle " + v.getClass());
        }
    }

    private void longTuple(long[] values) {
        out.write('(');
        for (long v : values) {
            integer(v);
        }
        out.write('t');
    }

    private void global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
    }

    private void bool(boolean b) {
        out.write(b ? NEWTRUE : NEWFALSE);
    }

    private void integer(long v) {
        if (v >= 0 && v < 256) {
            out.write('K');
            out.write((int) v);
        } else if (v >= 0 && v < 65536) {
            out.write('M');
            out.write((int) (v & 0xff));
            out.write((int) (v >>> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        } else {
            out.write(LONG1);
            out.write(8);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }
    }

    private void binFloat(double d) {
        out.write('G');
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(d).array());
    }
}
