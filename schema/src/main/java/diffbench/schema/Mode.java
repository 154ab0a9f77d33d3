package diffbench.schema;

/** How the engine runs a cell (docs/design.md §3); {@link #id()} is the name in CSV rows and on command lines. */
public enum Mode implements CellTerm {
    eager("eager", "none", false),
    /** Denoisers as AOTInductor packages (+ CUDA-graph replay on a GPU): diffbench.runtime.InductorMode. */
    compiled("compiled", "aotinductor", true),
    /** TorchScript's profiling executor (fusion) + cuDNN autotune; rows before schema 4 called it compiled. */
    tsProfiling("ts-profiling", "torchscript-profiling", false),
    /** ts-profiling, plus every denoiser call captured once into a CUDA graph and replayed (diffbench's JNI, CUDA). */
    cudaGraph("cuda-graph", "torchscript-profiling", false);

    private final String id;
    private final String compiler;
    private final boolean aheadOfTime;

    Mode(String id, String compiler, boolean aheadOfTime) {
        this.id = id;
        this.compiler = compiler;
        this.aheadOfTime = aheadOfTime;
    }

    @Override
    public String id() {
        return id;
    }

    /** The row's compiler: what produced the denoiser code this mode runs. */
    public String compiler() {
        return compiler;
    }

    /**
     * Whether the mode compiles its denoisers ahead of the first call: its rows carry the Inductor
     * options, and it needs python3 with torch and the project's JNI on libtorch 2.8+.
     */
    public boolean compilesAheadOfTime() {
        return aheadOfTime;
    }

    public static Mode fromId(String id) {
        return CellTerm.fromId(Mode.class, "mode", id);
    }

    @Override
    public String toString() {
        return id;
    }
}
