package diffbench.schema;

/** The software that ran a cell: diffbench's JVM harness, or the PyTorch peer in one of its modes (peer/run_peer.py). */
public enum RuntimeKind implements CellTerm {
    diffbench("diffbench"),
    pythonEager("python-eager"),
    pythonCompileReduceOverhead("python-compile-reduce-overhead"),
    pythonCompileMaxAutotuneNoCudagraphs("python-compile-max-autotune-no-cudagraphs");

    private final String id;

    RuntimeKind(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** Whether the PyTorch peer ran it. */
    public boolean isPython() {
        return this != diffbench;
    }

    public static RuntimeKind fromId(String id) {
        return CellTerm.fromId(RuntimeKind.class, "runtime", id);
    }

    @Override
    public String toString() {
        return id;
    }
}
