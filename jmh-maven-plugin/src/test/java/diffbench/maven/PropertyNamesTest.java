package diffbench.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PropertyNamesTest {

    private static final Set<String> KNOWN = new HashSet<>(PropertyNames.HARNESS);

    static {
        KNOWN.addAll(PropertyNames.PLUGIN);
    }

    @Test
    void aNearMissOfAKnownPropertyIsNamedAndOthersPass() {
        assertEquals(Optional.of("pipelines"), PropertyNames.nearMiss("pipeline", KNOWN));
        assertEquals(Optional.of("batches"), PropertyNames.nearMiss("batch", KNOWN));
        assertEquals(Optional.of("cellTimeout"), PropertyNames.nearMiss("celltimeout", KNOWN));
        assertEquals(Optional.of("gpus"), PropertyNames.nearMiss("gpu", KNOWN));
        assertEquals(Optional.of("jmh.timeoutMinutes"), PropertyNames.nearMiss("jmh.timeoutMinute", KNOWN));
        // known ones, and Maven's own, are not near misses
        for (String fine : new String[] {"pipelines", "prof", "skipTests", "test", "maven.repo.local", "ai.djl.offline", "profile"}) {
            assertEquals(Optional.empty(), PropertyNames.nearMiss(fine, KNOWN), fine);
        }
    }
}
