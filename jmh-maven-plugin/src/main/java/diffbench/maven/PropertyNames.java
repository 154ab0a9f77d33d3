package diffbench.maven;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The `-D` properties `mvn jmh:run` reads, and the near misses it refuses: a misspelt property
 * (`-Dpipeline=sd-txt2img`) would otherwise be ignored by Maven and the whole matrix would run.
 */
final class PropertyNames {

    /** Harness options taken from `-Dname=value` and passed on as `--name=value`. */
    static final List<String> HARNESS = List.of(
            "pipelines", "batches", "modes", "attention", "dtype", "steps", "profile", "warmups",
            "measurements", "emulate", "results", "device", "tiny", "cellTimeout", "failOnError", "peer", "peerOnly", "peerRuntimes",
            "python", "gpus", "shard", "remeasure", "missing", "progress", "prof", "launcher", "inductorOptions", "outputs");

    /** The plugin's own parameters' properties. */
    static final List<String> PLUGIN = List.of("jmh.module", "jmh.mainClass", "jmh.jvmArgs", "jmh.timeoutMinutes");

    private PropertyNames() {}

    /** The known property a user property is a near miss of ("pipeline" for "pipelines"); empty when it is none. */
    static Optional<String> nearMiss(String typed, Set<String> known) {
        if (known.contains(typed)) {
            return Optional.empty();
        }
        String t = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(t, k.toLowerCase(Locale.ROOT));
            // one edit for short names (gpu/gpus), two for longer ones (cellTimout); a case slip is always one
            int allowed = k.length() <= 5 ? 1 : 2;
            if (d <= allowed && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
