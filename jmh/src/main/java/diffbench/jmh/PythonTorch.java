package diffbench.jmh;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch a Python has, if any: on a GPU box without {@code DIFFBENCH_LIBTORCH} it is the CUDA
 * libtorch the harness can build the project's JNI against (pip's torch ships its headers and
 * libraries), so a plain {@code mvn jmh:run} runs the GPU cells.
 *
 * @param version torch's version, e.g. {@code 2.11.0+cu130}
 * @param cuda the CUDA it was built for, empty for a CPU-only build
 * @param dir the torch package folder (holds {@code include/}, {@code lib/}, {@code share/cmake})
 */
record PythonTorch(String version, String cuda, Path dir) {

    private static final String PROBE = "import os, torch; print(torch.__version__); print(torch.version.cuda or ''); "
            + "print(os.path.dirname(torch.__file__))";

    /** Asks {@code python}; empty when it cannot start, has no torch, or does not answer within a minute. */
    static Optional<PythonTorch> of(String python) {
        return ShortCommand.output(List.of(python, "-c", PROBE), 60).flatMap(PythonTorch::parse);
    }

    /** The probe's three lines: version, CUDA (may be empty), folder. */
    static Optional<PythonTorch> parse(String probeOutput) {
        List<String> lines = probeOutput.lines().toList();
        if (lines.size() < 3 || lines.get(0).isBlank() || lines.get(2).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new PythonTorch(lines.get(0).strip(), lines.get(1).strip(), Path.of(lines.get(2).strip())));
    }

    /** Whether its libtorch has AOTInductor's package loader as the project's JNI uses it (torch 2.8+). */
    boolean hasAotInductor() {
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)").matcher(version);
        return m.lookingAt() && (Integer.parseInt(m.group(1)) > 2
                || Integer.parseInt(m.group(1)) == 2 && Integer.parseInt(m.group(2)) >= 8);
    }

    boolean hasCuda() {
        return !cuda.isEmpty();
    }
}
