package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostEnvironmentTest {

    @Test
    void aBundlesCommitFileNamesTheCommitItWasBuiltFrom(@TempDir Path bundle) throws Exception {
        // no git checkout and no COMMIT: unknown
        assertEquals("", HostEnvironment.detect(bundle).gitCommit());
        // make-bundle.sh writes the full hash; rows carry the short form, as from git
        Files.writeString(bundle.resolve("COMMIT"), "8f42443c8ba8e4bc943b0fcf071b36a4cf25d851\n");
        assertEquals("8f42443", HostEnvironment.detect(bundle).gitCommit());
    }
}
