package diffbench.jmh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the GPU did while a cell ran: SM clock, board power, temperature and the reasons nvidia-smi
 * gives for holding the clocks down, sampled every 250 ms by one {@code nvidia-smi -lms} process in
 * the harness JVM (not in the fork being measured). Figures from one source agree only when the
 * clocks did; a row that ran throttled says so.
 */
final class GpuSampler implements AutoCloseable {

    record Sample(long epochMillis, double smClockMhz, double powerW, double temperatureC, long reasons) {}

    /** Over a time window: mean SM clock and power, the highest temperature, the clock limits seen. */
    record Summary(double smClockMhz, double powerW, double maxTemperatureC, String clockLimits) {}

    /** clocks_event_reasons bits (NVML) that limit a busy GPU; idle, application clocks, sync boost and display are not limits. */
    static final Map<Long, String> LIMITS = Map.of(
            0x4L, "sw-power-cap", 0x8L, "hw-slowdown", 0x20L, "sw-thermal", 0x40L, "hw-thermal", 0x80L, "hw-power-brake");

    private final Process process;
    private final List<Sample> samples = new ArrayList<>();

    private GpuSampler(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "diffbench-gpu-sampler");
        reader.setDaemon(true);
        reader.start();
    }

    /** nvidia-smi's looping query of one card ({@link NvidiaSmi.Gpu#id()}: the one the forks use). */
    static List<String> command(String gpuId, String reasonsField) {
        return List.of("nvidia-smi", "-i", gpuId,
                "--query-gpu=clocks.sm,power.draw,temperature.gpu," + reasonsField,
                "--format=csv,noheader,nounits", "-lms", "250");
    }

    /** Starts sampling; empty when the command cannot start (then the rows just lack these figures). */
    static Optional<GpuSampler> start(List<String> command) {
        return start(command, ProcessHandle.current().pid());
    }

    /**
     * nvidia-smi -lms never ends by itself: it runs under a shell that stops it once {@code parentPid}
     * (this harness) is gone, so a harness killed mid-cell leaves no sampler behind.
     */
    static final String WATCHED = "parent=$1; shift; \"$@\" & child=$!; trap 'kill $child 2>/dev/null; exit 0' TERM; "
            + "while kill -0 \"$parent\" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.5; done; kill $child 2>/dev/null";

    static Optional<GpuSampler> start(List<String> command, long parentPid) {
        List<String> watched = new ArrayList<>(List.of("sh", "-c", WATCHED, "sh", Long.toString(parentPid)));
        watched.addAll(command);
        try {
            return Optional.of(new GpuSampler(new ProcessBuilder(watched).redirectError(ProcessBuilder.Redirect.DISCARD).start()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The sampling command this driver takes, asked once per run: the clock reasons' current field
     * name, or the one drivers before 535 use (an unknown field fails the whole query); empty
     * without nvidia-smi.
     */
    static Optional<List<String>> nvidiaSmiCommand(String gpuId) {
        for (String field : List.of("clocks_event_reasons.active", "clocks_throttle_reasons.active")) {
            List<String> looping = command(gpuId, field);
            if (ShortCommand.output(looping.subList(0, looping.size() - 2), 30).isPresent()) { // once, without -lms
                return Optional.of(looping);
            }
        }
        return Optional.empty();
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                Optional<Sample> s = parse(System.currentTimeMillis(), line);
                synchronized (samples) {
                    s.ifPresent(samples::add);
                }
            }
        } catch (IOException e) {
            // the process was stopped
        }
    }

    /** One line `clocks.sm, power.draw, temperature.gpu, reasons` ("1980, 612.34, 61, 0x0000000000000004"). */
    static Optional<Sample> parse(long at, String line) {
        String[] f = line.split(",");
        if (f.length < 4) {
            return Optional.empty();
        }
        try {
            String reasons = f[3].strip();
            return Optional.of(new Sample(at, number(f[0]), number(f[1]), number(f[2]),
                    reasons.startsWith("0x") ? Long.parseUnsignedLong(reasons.substring(2), 16) : 0));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static double number(String field) {
        String v = field.strip();
        return v.startsWith("[") ? Double.NaN : Double.parseDouble(v); // [N/A], [Not Supported]
    }

    /** The samples taken between two instants; the first one after {@code from} when none fell inside. */
    Optional<Summary> summary(long from, long to) {
        List<Sample> in = new ArrayList<>();
        synchronized (samples) {
            samples.stream().filter(s -> s.epochMillis() >= from && s.epochMillis() <= to).forEach(in::add);
            if (in.isEmpty()) {
                samples.stream().filter(s -> s.epochMillis() >= from).findFirst().ifPresent(in::add);
            }
        }
        return summarize(in);
    }

    static Optional<Summary> summarize(List<Sample> in) {
        if (in.isEmpty()) {
            return Optional.empty();
        }
        TreeSet<String> limits = new TreeSet<>();
        for (Sample s : in) {
            LIMITS.forEach((bit, name) -> {
                if ((s.reasons() & bit) != 0) {
                    limits.add(name);
                }
            });
        }
        return Optional.of(new Summary(in.stream().mapToDouble(Sample::smClockMhz).average().orElse(Double.NaN),
                in.stream().mapToDouble(Sample::powerW).average().orElse(Double.NaN),
                in.stream().mapToDouble(Sample::temperatureC).max().orElse(Double.NaN),
                String.join(",", limits)));
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }
}
