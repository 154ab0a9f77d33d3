package diffbench.runtime;

/**
 * The Inductor option set a compiled package was built with (an axis recorded in every compiled
 * row). The ids are peer/aoti_compile.py's {@code OPTION_SETS}; weights always stay out of the
 * package ({@code aot_inductor.package_constants_in_so=False}).
 */
public enum InductorOptions {
    /** Inductor's defaults. */
    DEFAULT("default"),
    /** {@code max_autotune=True}: GEMM/conv templates benchmarked at compile time (minutes per shape on a GPU). */
    MAX_AUTOTUNE("max-autotune");

    private final String id;

    InductorOptions(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The option set the environment names: {@code -Ddiffbench.inductorOptions} or {@code DIFFBENCH_INDUCTOR_OPTIONS}, default {@code default}. */
    public static InductorOptions fromEnvironment() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv("DIFFBENCH_INDUCTOR_OPTIONS");
        }
        return v == null || v.isBlank() ? DEFAULT : fromId(v.strip());
    }

    public static final String PROPERTY = "diffbench.inductorOptions";

    public static InductorOptions fromId(String id) {
        for (InductorOptions o : values()) {
            if (o.id.equals(id)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown Inductor option set '" + id + "': use default or max-autotune");
    }

    @Override
    public String toString() {
        return id;
    }
}
