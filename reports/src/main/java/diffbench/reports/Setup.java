package diffbench.reports;

import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What must be equal for figures to share a table: device, precision, attention, model size and
 * any memory limit. GPU figures sort before CPU smoke runs, full models before tiny ones.
 */
record Setup(String device, String dtype, String attention, String modelSize, String memoryCapMib, String emulate) {

    static final Comparator<Setup> ORDER = Comparator.comparing((Setup s) -> s.isCpu())
            .thenComparing(s -> !"full".equals(s.modelSize))
            .thenComparing(s -> !s.emulate.isEmpty() || !s.memoryCapMib.isEmpty())
            .thenComparing(Setup::dtype).thenComparing(Setup::attention)
            .thenComparing(Setup::emulate).thenComparing(Setup::memoryCapMib);

    static Setup of(ResultRow r) {
        return new Setup(r.device(), r.dtype(), r.attention(), r.modelSize(),
                r.get(ResultColumn.MEMORY_CAP_MIB), r.emulate());
    }

    /** The same setup with memory limits dropped: across GPUs, those go into the column's GPU label. */
    Setup withoutMemoryLimits() {
        return new Setup(device, dtype, attention, modelSize, "", "");
    }

    boolean isCpu() {
        return "cpu".equals(device);
    }

    /** Comparable with diffusers' published figures: full models in fp16 on a GPU. */
    boolean matchesPublishedSetup() {
        return !isCpu() && "full".equals(modelSize) && "fp16".equals(dtype);
    }

    String label() {
        List<String> parts = new ArrayList<>();
        parts.add(isCpu() ? "CPU smoke run (not GPU figures)" : "GPU");
        parts.add(dtype);
        parts.add(attention + " attention");
        parts.add(modelSize + " models");
        String cap = memoryCapMib.isEmpty() ? "" : " (" + memoryCapMib + " MiB)";
        if (!emulate.isEmpty()) {
            parts.add("memory capped to emulate " + emulate + cap);
        } else if (!memoryCapMib.isEmpty()) {
            parts.add("memory capped" + cap);
        }
        return String.join(" · ", parts);
    }
}
