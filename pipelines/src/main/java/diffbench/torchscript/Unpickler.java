package diffbench.torchscript;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the subset of pickle that TorchScript archives use (protocol 2, as torch and this project
 * write {@code data.pkl}) into plain Java values, so an archive can be checked before libtorch sees
 * it. Module objects become {@link PickledObject}s, tensors {@link PickledTensor}s.
 */
final class Unpickler {

    record Global(String module, String name) {
    }

    record StorageRef(String typeName, String key, long numel) {
    }

    record PickledTensor(StorageRef storage, long offset, List<Long> shape, List<Long> strides) {
    }

    record PickledObject(Global type, Map<Object, Object> state) {
    }

    private static final Object MARK = new Object();

    private final ByteBuffer in;
    private final String recordName;
    private final Deque<Object> stack = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private Unpickler(byte[] data, String recordName) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.recordName = recordName;
    }

    static Object load(byte[] data, String recordName) {
        try {
            return new Unpickler(data, recordName).run();
        } catch (BufferUnderflowException e) {
            throw new ArchiveFormatException(recordName + ": pickle ends early (truncated record)");
        }
    }

    private Object run() {
        while (true) {
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> in.get(); // PROTO
                case '.' -> {
                    return pop();
                }
                case 'c' -> stack.push(new Global(line(), line()));
                case ')' -> stack.push(List.of());
                case '}' -> stack.push(new LinkedHashMap<>());
                case ']' -> stack.push(new ArrayList<>());
                case '(' -> stack.push(MARK);
                case 'N' -> stack.push(NONE);
                case 0x88 -> stack.push(Boolean.TRUE);
                case 0x89 -> stack.push(Boolean.FALSE);
                case 'K' -> stack.push((long) (in.get() & 0xff));
                case 'M' -> stack.push((long) (in.getShort() & 0xffff));
                case 'J' -> stack.push((long) in.getInt());
                case 0x8a -> stack.push(long1());
                case 'G' -> stack.push(binFloat());
                case 'X' -> stack.push(string(in.getInt()));
                case 0x8c -> stack.push(string(in.get() & 0xff)); // SHORT_BINUNICODE
                case 't' -> stack.push(List.copyOf(popToMark()));
                case 0x85 -> stack.push(List.of(pop()));
                case 0x86 -> {
                    Object b = pop();
                    stack.push(List.of(pop(), b));
                }
                case 0x87 -> {
                    Object c = pop();
                    Object b = pop();
                    stack.push(List.of(pop(), b, c));
                }
                case 'e' -> {
                    List<Object> items = popToMark();
                    list(peek()).addAll(items);
                }
                case 'a' -> {
                    Object item = pop();
                    list(peek()).add(item);
                }
                case 'u' -> {
                    List<Object> kv = popToMark();
                    Map<Object, Object> d = map(peek());
                    for (int i = 0; i + 1 < kv.size(); i += 2) {
                        d.put(kv.get(i), kv.get(i + 1));
                    }
                }
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    map(peek()).put(k, v);
                }
                case 0x81 -> { // NEWOBJ
                    pop(); // constructor args: always empty for modules
                    Object cls = pop();
                    stack.push(new PickledObject(global(cls), new LinkedHashMap<>()));
                }
                case 'b' -> { // BUILD
                    Object state = pop();
                    Object target = peek();
                    if (target instanceof PickledObject o) {
                        o.state().putAll(map(state));
                    } else {
                        throw fail("BUILD on " + target);
                    }
                }
                case 'Q' -> stack.push(storage(pop()));
                case 'R' -> {
                    Object args = pop();
                    Object fn = pop();
                    stack.push(reduce(global(fn), (List<?>) args));
                }
                case 'q' -> memo.put((long) (in.get() & 0xff), peek());
                case 'r' -> memo.put((long) in.getInt(), peek());
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> stack.push(memoGet(in.get() & 0xff));
                case 'j' -> stack.push(memoGet(in.getInt()));
                default -> throw fail("unsupported pickle opcode 0x" + Integer.toHexString(op) + " at byte "
                        + (in.position() - 1));
            }
        }
    }

    private static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private Object reduce(Global fn, List<?> args) {
        if (fn.equals(new Global("torch._utils", "_rebuild_tensor_v2"))) {
            if (!(args.get(0) instanceof StorageRef s)) {
                throw fail("tensor without a storage");
            }
            return new PickledTensor(s, (Long) args.get(1), longs(args.get(2)), longs(args.get(3)));
        }
        if (fn.module().equals("torch.jit._pickle") && fn.name().startsWith("build_") && args.size() == 1) {
            return args.get(0);
        }
        if (fn.equals(new Global("collections", "OrderedDict"))) {
            return new LinkedHashMap<>();
        }
        throw fail("unsupported call " + fn.module() + "." + fn.name());
    }

    private StorageRef storage(Object pid) {
        List<?> t = (List<?>) pid;
        if (t.size() != 5 || !"storage".equals(t.get(0))) {
            throw fail("unexpected persistent id " + t);
        }
        Global type = global(t.get(1));
        if (!type.module().equals("torch")) {
            throw fail("storage type " + type.module() + "." + type.name() + " is not a torch storage");
        }
        return new StorageRef(type.name(), (String) t.get(2), (Long) t.get(4));
    }

    private List<Long> longs(Object o) {
        List<Long> out = new ArrayList<>();
        for (Object x : (List<?>) o) {
            out.add((Long) x);
        }
        return out;
    }

    private Global global(Object o) {
        if (o instanceof Global g) {
            return g;
        }
        throw fail("expected a class, found " + o);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (o instanceof ArrayList<?>) {
            return (List<Object>) o;
        }
        throw fail("APPEND to " + o);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o) {
        if (o instanceof Map<?, ?>) {
            return (Map<Object, Object>) o;
        }
        throw fail("SETITEM on " + o);
    }

    private Object memoGet(long i) {
        Object v = memo.get(i);
        if (v == null) {
            throw fail("memo " + i + " read before it was written");
        }
        return v;
    }

    private Double binFloat() {
        long bits = in.order(ByteOrder.BIG_ENDIAN).getLong();
        in.order(ByteOrder.LITTLE_ENDIAN);
        return Double.longBitsToDouble(bits);
    }

    private Long long1() {
        int n = in.get() & 0xff;
        byte[] b = new byte[n];
        in.get(b);
        long v = n > 0 && b[n - 1] < 0 ? -1 : 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    private String line() {
        int start = in.position();
        while (in.get() != '\n') {
            // scan to the end of the line
        }
        return new String(in.array(), start, in.position() - 1 - start, StandardCharsets.UTF_8);
    }

    private String string(int length) {
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private Object pop() {
        if (stack.isEmpty()) {
            throw fail("pickle stack underflow");
        }
        return stack.pop();
    }

    private Object peek() {
        if (stack.isEmpty()) {
            throw fail("pickle stack underflow");
        }
        return stack.peek();
    }

    private List<Object> popToMark() {
        List<Object> items = new ArrayList<>();
        while (true) {
            Object o = pop();
            if (o == MARK) {
                break;
            }
            items.add(0, o);
        }
        return items;
    }

    private ArchiveFormatException fail(String why) {
        return new ArchiveFormatException(recordName + ": " + why);
    }
}
