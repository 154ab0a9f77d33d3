package diffbench.reports;

import diffbench.schema.CellTerm;
import diffbench.schema.Mode;
import diffbench.schema.ResultRow;
import diffbench.schema.RuntimeKind;
import java.util.Comparator;
import java.util.List;

/**
 * A table column: which software ran the cell (runtime, libtorch, JNI) and how (mode). Across GPUs
 * the GPU label is part of the column; on a GPU's own page it is empty.
 */
record Column(String gpu, String runtime, String libtorch, String jni, String mode) {

    private static final List<String> MODES = CellTerm.ids(Mode.class);
    private static final List<String> RUNTIMES = CellTerm.ids(RuntimeKind.class);

    static final Comparator<Column> ORDER = Comparator.comparing(Column::gpu)
            .thenComparing(c -> c.isPython())
            .thenComparing(Column::libtorch, Versions.ORDER)
            .thenComparing(Column::jni)
            .thenComparing(c -> rank(RUNTIMES, c.runtime)).thenComparing(Column::runtime)
            .thenComparing(c -> rank(MODES, c.mode)).thenComparing(Column::mode);

    static Column of(ResultRow r) {
        return new Column("", r.runtime(), r.libtorch(), r.jni(), r.mode());
    }

    static Column across(ResultRow r) {
        return new Column(gpuLabel(r), r.runtime(), r.libtorch(), r.jni(), r.mode());
    }

    /** The GPU as named across GPUs: its slug, and any memory limit the run had. */
    static String gpuLabel(ResultRow r) {
        String label = r.gpuSlug();
        if (!r.emulate().isEmpty()) {
            label += " as " + r.emulate();
        }
        if (r.memoryCapMib().isPresent()) {
            label += (r.emulate().isEmpty() ? " capped" : "") + " (" + r.memoryCapMib().getAsInt() + " MiB)";
        }
        return label;
    }

    boolean isPython() {
        return runtime.startsWith("python");
    }

    boolean isEager() {
        return isPython() ? RuntimeKind.pythonEager.id().equals(runtime) : Mode.eager.id().equals(mode);
    }

    /** Columns whose speed-up over {@code this} means something: same software, same GPU, eager baseline. */
    boolean isBaselineOf(Column other) {
        return isEager() && !other.isEager() && gpu.equals(other.gpu) && isPython() == other.isPython()
                && libtorch.equals(other.libtorch) && jni.equals(other.jni)
                && (isPython() || runtime.equals(other.runtime));
    }

    String label() {
        String software;
        if (isPython()) {
            String how = runtime.equals("python-eager") ? "eager" : runtime.substring("python-".length()).replace("compile-", "compile ");
            software = "PyTorch " + libtorch + " " + how + " (Python)";
        } else {
            software = "libtorch " + libtorch + ("diffbench".equals(jni) ? " (own JNI)" : "") + " " + mode;
        }
        return gpu.isEmpty() ? software : gpu + " · " + software;
    }

    private static int rank(List<String> order, String value) {
        int i = order.indexOf(value);
        return i < 0 ? order.size() : i;
    }
}
