package diffbench.schema;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The columns of a results CSV, in file order. The header line is exactly these names; a row
 * records {@link #SCHEMA_VERSION} in {@code schema_version}. Bump the version when a column is
 * added, removed or changes meaning, so an older reader refuses a newer file instead of guessing;
 * a column added later records the version that brought it ({@link #since()}), so files written
 * before it still read, with the column empty.
 */
public enum ResultColumn {
    SCHEMA_VERSION_COLUMN("schema_version", Kind.INTEGER),
    GPU_SLUG("gpu_slug", Kind.TEXT),
    GPU_NAME("gpu_name", Kind.TEXT),
    GPU_MEMORY_MIB("gpu_memory_mib", Kind.INTEGER),
    DRIVER("driver", Kind.TEXT),
    CUDA("cuda", Kind.TEXT),
    LIBTORCH("libtorch", Kind.TEXT),
    DJL("djl", Kind.TEXT),
    /** {@code djl} (DJL's own JNI) or {@code diffbench} (the project's JNI from native/). */
    JNI("jni", Kind.TEXT),
    JVM("jvm", Kind.TEXT),
    HOST("host", Kind.TEXT),
    GIT_COMMIT("git_commit", Kind.TEXT),
    /** ISO-8601 UTC instant the row was measured. */
    TIME("time", Kind.TEXT),
    /** {@code diffbench}, {@code python-eager}, {@code python-compile-reduce-overhead}, {@code python-compile-max-autotune-no-cudagraphs}. */
    RUNTIME("runtime", Kind.TEXT),
    /** {@code cpu} or {@code gpu}. */
    DEVICE("device", Kind.TEXT),
    PIPELINE("pipeline", Kind.TEXT),
    /** Empty, or {@code I}, {@code II}, {@code III} for the stages of the IF cascade. */
    STAGE("stage", Kind.TEXT),
    BATCH("batch", Kind.INTEGER),
    /**
     * {@code eager}, {@code compiled} (AOTInductor; torch.compile for the peer), {@code ts-profiling} or
     * {@code cuda-graph}. Before schema 4 the JVM's {@code compiled} was today's {@code ts-profiling}
     * ({@link RowUpgrade} relabels such rows on reading).
     */
    MODE("mode", Kind.TEXT),
    /** {@code sdpa} or {@code math}. */
    ATTENTION("attention", Kind.TEXT),
    /** {@code fp16}, {@code bf16} or {@code fp32}. */
    DTYPE("dtype", Kind.TEXT),
    /** {@code full} or {@code tiny}. */
    MODEL_SIZE("model_size", Kind.TEXT),
    STEPS("steps", Kind.INTEGER),
    /** Width x height in pixels, e.g. {@code 512x512}. */
    RESOLUTION("resolution", Kind.TEXT),
    /** {@code quick}, {@code full} or {@code custom}. */
    PROFILE("profile", Kind.TEXT),
    WARMUP_CALLS("warmup_calls", Kind.INTEGER),
    MEASUREMENT_CALLS("measurement_calls", Kind.INTEGER),
    /** Empty when the run had the whole card. */
    MEMORY_CAP_MIB("memory_cap_mib", Kind.INTEGER),
    /** The gpu-profile id whose memory size was emulated, or empty. */
    EMULATE("emulate", Kind.TEXT),
    /** See {@link Outcome}. */
    OUTCOME("outcome", Kind.OUTCOME),
    ERROR_MESSAGE("error_message", Kind.TEXT),
    ITS_MEAN("its_mean", Kind.DECIMAL),
    ITS_MIN("its_min", Kind.DECIMAL),
    ITS_MAX("its_max", Kind.DECIMAL),
    ITS_STDDEV("its_stddev", Kind.DECIMAL),
    SECONDS_PER_CALL_MEAN("seconds_per_call_mean", Kind.DECIMAL),
    SECONDS_PER_CALL_STDDEV("seconds_per_call_stddev", Kind.DECIMAL),
    /** Seconds of a call spent outside the denoising loop (text encoding, VAE decode, ...). */
    OUTSIDE_LOOP_SECONDS("outside_loop_seconds", Kind.DECIMAL),
    PEAK_MEMORY_MIB("peak_memory_mib", Kind.DECIMAL),
    /** Denoising iterations per pipeline call. */
    UNET_CALLS_PER_IMAGE("unet_calls_per_image", Kind.INTEGER),
    /**
     * The denoiser's achieved TFLOP/s in the loop: FLOPs of its UNet [+ ControlNet] calls (2 per
     * multiply-accumulate of convs, linears and attention matmuls; all rows, guidance included) over
     * the loop time. Over the card's dense peak it is the model FLOPs utilisation.
     */
    DENOISER_TFLOPS("denoiser_tflops", Kind.DECIMAL, 2),
    /** Seconds from the start of the cell's set-up (engine start included) until the pipeline could take its first call. */
    LOAD_SECONDS("load_seconds", Kind.DECIMAL, 2),
    /**
     * Seconds of all warm-up calls together: where each runtime compiles (TorchScript profiling and
     * fusion, cuDNN autotuning, CUDA-graph capture; torch.compile for the Python peer).
     */
    WARMUP_SECONDS("warmup_seconds", Kind.DECIMAL, 2),
    /**
     * Peak GPU memory during the warm-up calls, where compilers autotune and CUDA graphs are captured;
     * {@link #PEAK_MEMORY_MIB} is the steady state of the measured calls.
     */
    WARMUP_PEAK_MEMORY_MIB("warmup_peak_memory_mib", Kind.DECIMAL, 2),
    /**
     * {@code ok}, {@code flat} or {@code non-finite}: the worst check of the measured calls' output
     * images (NaN or infinity anywhere; one value everywhere), so a fast but broken cell shows.
     */
    OUTPUT_CHECK("output_check", Kind.TEXT, 2),
    /** Mean SM clock while the measured calls ran (nvidia-smi sampled every 250 ms by the harness). */
    SM_CLOCK_MHZ("sm_clock_mhz", Kind.DECIMAL, 2),
    /** Mean board power over the same samples. */
    GPU_POWER_W("gpu_power_w", Kind.DECIMAL, 2),
    /** Highest GPU temperature over the same samples. */
    GPU_TEMPERATURE_C("gpu_temperature_c", Kind.DECIMAL, 2),
    /**
     * What held the clocks down in those samples, comma-separated: {@code sw-power-cap},
     * {@code hw-slowdown}, {@code sw-thermal}, {@code hw-thermal}, {@code hw-power-brake}; empty for none.
     */
    CLOCK_LIMITS("clock_limits", Kind.TEXT, 2),
    /** The cuDNN the engine ran, e.g. {@code 9.10.2} (convolution speed depends on it); empty off CUDA or when unknown. */
    CUDNN("cudnn", Kind.TEXT, 3),
    /** The host CPU's model and how many CPUs the run could use, e.g. {@code Intel(R) Xeon(R) Platinum 8480C (16 CPUs)}. */
    HOST_CPU("host_cpu", Kind.TEXT, 3),
    /**
     * What produced the denoiser code the row ran: {@code none} (eager), {@code aotinductor} (the JVM's
     * compiled mode), {@code torchscript-profiling} (ts-profiling, cuda-graph), {@code torch.compile} (the peer).
     */
    COMPILER("compiler", Kind.TEXT, 4),
    /** The compiler's option set: Inductor's ({@code default}, {@code max-autotune}), or torch.compile's mode; empty for none. */
    COMPILER_OPTIONS("compiler_options", Kind.TEXT, 4),
    /** Seconds this cell spent compiling (0 when every package came from the cache or a folder); empty without a compiler step. */
    COMPILE_SECONDS("compile_seconds", Kind.DECIMAL, 4),
    /** Where the compiled code came from: {@code miss} (compiled now), {@code hit} (cache), {@code folder}, {@code hit+miss}. */
    COMPILE_CACHE("compile_cache", Kind.TEXT, 4),
    /**
     * Peak GPU memory the caching allocator reserved over the measured calls ({@link #PEAK_MEMORY_MIB}
     * is what tensors held): where libtorch's allocator statistics give it, empty elsewhere.
     */
    PEAK_RESERVED_MIB("peak_reserved_mib", Kind.DECIMAL, 5),
    /** Batch over seconds per call ({@link ImageThroughput}). */
    IMAGES_PER_SECOND("images_per_second", Kind.DECIMAL, 5),
    /** Mean board power x seconds per call over the batch, where power was sampled ({@link ImageThroughput}). */
    JOULES_PER_IMAGE("joules_per_image", Kind.DECIMAL, 5);

    /** The format version written into every row; readers refuse rows newer than this. */
    public static final int SCHEMA_VERSION = 5;

    /**
     * The columns that identify a benchmark cell. A cell may write several rows (the IF cascade one
     * per {@link #STAGE}; a failed IF cell one without a stage), so {@code stage} is not in the key,
     * nor {@code resolution}, which follows from the stage: re-running a cell replaces all its rows
     * together. {@code gpu_slug} is, because a file given with {@code -Dresults=} may hold several
     * cards, and one card's run must not replace another's.
     */
    public static final List<ResultColumn> CELL_KEY = List.of(GPU_SLUG, RUNTIME, LIBTORCH, JNI, DEVICE, PIPELINE,
            BATCH, MODE, ATTENTION, DTYPE, MODEL_SIZE, STEPS, MEMORY_CAP_MIB, EMULATE, COMPILER_OPTIONS);

    /** What a cell may hold; an empty cell is always allowed (not measured). */
    public enum Kind { TEXT, INTEGER, DECIMAL, OUTCOME }

    private final String header;
    private final Kind kind;
    private final int since;

    ResultColumn(String header, Kind kind) {
        this(header, kind, 1);
    }

    ResultColumn(String header, Kind kind, int since) {
        this.header = header;
        this.kind = kind;
        this.since = since;
    }

    /** The schema version that added this column: a file whose rows are all older may lack it. */
    public int since() {
        return since;
    }

    /** The name in the CSV header. */
    public String header() {
        return header;
    }

    public Kind kind() {
        return kind;
    }

    public static Optional<ResultColumn> fromHeader(String name) {
        return Arrays.stream(values()).filter(c -> c.header.equals(name)).findFirst();
    }

    /** The header names in file order. */
    public static String[] headers() {
        return Arrays.stream(values()).map(ResultColumn::header).toArray(String[]::new);
    }

    @Override
    public String toString() {
        return header;
    }
}
