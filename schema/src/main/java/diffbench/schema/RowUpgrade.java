package diffbench.schema;

/**
 * Gives rows written before schema 4 today's meaning, on reading: the JVM's {@code compiled} mode of
 * those rows was TorchScript's profiling executor + cuDNN autotune, which schema 4 calls
 * {@code ts-profiling} ({@code compiled} is now AOTInductor); and every row says which compiler
 * produced it. Nothing is guessed: each value follows from the row's runtime and mode. Rows keep
 * their schema_version (they were measured under it); rewriting a file writes the upgraded cells.
 */
public final class RowUpgrade {
    private RowUpgrade() {
    }

    /** The row with schema 4's mode and compiler columns filled in when it predates them; others unchanged. */
    public static ResultRow toCurrentMeaning(ResultRow row) {
        if (row.schemaVersion() >= 4 || !row.get(ResultColumn.COMPILER).isEmpty()) {
            return row;
        }
        String runtime = row.runtime();
        String mode = row.mode();
        ResultRow.Builder b = row.toBuilder();
        if (runtime.startsWith("python-compile-")) {
            // the peer's torch.compile rows: the runtime names torch.compile's mode
            b.set(ResultColumn.COMPILER, "torch.compile").set(ResultColumn.COMPILER_OPTIONS,
                    runtime.substring("python-compile-".length()));
        } else if (runtime.startsWith("python-") || mode.equals("eager")) {
            b.set(ResultColumn.COMPILER, "none");
        } else if (mode.equals("compiled") || mode.equals("cuda-graph")) {
            b.set(ResultColumn.COMPILER, "torchscript-profiling");
            if (mode.equals("compiled")) {
                b.set(ResultColumn.MODE, "ts-profiling");
            }
        }
        return b.build();
    }
}
