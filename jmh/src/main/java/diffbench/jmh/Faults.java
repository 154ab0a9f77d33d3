package diffbench.jmh;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The harness side of fault injection: which cell gets which fault. `-Ddiffbench.inject.oom=PHASE`
 * applies to every cell; `-Ddiffbench.inject.oom=sd-txt2img:1:eager=load;if:4:compiled=iteration:2`
 * to the cells named `pipeline:batch:mode`. Same syntax for `diffbench.inject.hang`. Each fork gets
 * only its own phase ({@link FaultInjection} acts on it).
 */
record Faults(Map<String, String> oom, Map<String, String> hang) {

    private static final String ALL = "*";

    static Faults fromSystemProperties() {
        return new Faults(parse(System.getProperty(FaultInjection.OOM)), parse(System.getProperty(FaultInjection.HANG)));
    }

    static Map<String, String> parse(String value) {
        Map<String, String> byCell = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return byCell;
        }
        for (String entry : value.split(";")) {
            int eq = entry.indexOf('=');
            String cell = eq < 0 ? ALL : entry.substring(0, eq).trim();
            String phase = entry.substring(eq + 1).trim();
            Phase.parse(phase); // fails early on a typo
            byCell.put(cell, phase);
        }
        return byCell;
    }

    /** Refuses a selector that names no cell of the run (a typo would inject nothing and say nothing). */
    void check(List<Cell> cells) {
        Set<String> selectors = new TreeSet<>();
        cells.forEach(c -> selectors.add(c.selector()));
        for (Map.Entry<String, Map<String, String>> kind : Map.of(FaultInjection.OOM, oom, FaultInjection.HANG, hang).entrySet()) {
            for (String selector : kind.getValue().keySet()) {
                if (!selector.equals(ALL) && !selectors.contains(selector)) {
                    throw new IllegalArgumentException("-D" + kind.getKey() + " names cell '" + selector + "', which this run "
                            + "does not have: use pipeline:batch:mode of one of " + String.join(", ", selectors));
                }
            }
        }
    }

    String oom(Cell cell) {
        return lookup(oom, cell);
    }

    String hang(Cell cell) {
        return lookup(hang, cell);
    }

    private static String lookup(Map<String, String> faults, Cell cell) {
        return faults.getOrDefault(cell.selector(), faults.getOrDefault(ALL, "none"));
    }
}
