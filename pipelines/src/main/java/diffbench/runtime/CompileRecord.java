package diffbench.runtime;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * What compiling cost a cell, for its row: seconds spent compiling packages in this run (0 when all
 * came from the cache or a folder), seconds spent loading them, and where they came from:
 * {@code miss} (compiled now), {@code hit} (cache), {@code folder} (named by the user), or
 * {@code hit+miss} when a cell's packages came from both; empty when nothing was compiled.
 */
public record CompileRecord(double compileSeconds, double loadSeconds, String cache) {
    public static final CompileRecord NONE = new CompileRecord(0, 0, "");

    /** This record with one more package obtained. */
    public CompileRecord plus(AotiCompiler.Obtained obtained, double loadSeconds) {
        String source = obtained.source().id();
        String merged = cache.isEmpty() || cache.equals(source) ? source
                : Stream.concat(Arrays.stream(cache.split("\\+")), Stream.of(source))
                        .distinct().sorted().reduce((a, b) -> a + "+" + b).orElse(source);
        return new CompileRecord(compileSeconds + obtained.compileSeconds(), this.loadSeconds + loadSeconds, merged);
    }
}
