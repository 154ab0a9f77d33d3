package diffbench.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The build's version, one for every tool: the pom's version and the commit it was built from, which
 * the build writes into diffbench/version.properties (schema's pom), so `--version` of the harness,
 * `diffbench` and the report tool all say the same.
 */
public final class Version {

    private static final Properties BUILD = load();

    private Version() {}

    /** The pom's version, e.g. 0.1.0-SNAPSHOT. */
    public static String version() {
        return BUILD.getProperty("version", "unknown");
    }

    /** The short commit the build was made from; empty when it was built outside a git checkout. */
    public static String commit() {
        return BUILD.getProperty("commit", "").trim();
    }

    /** "diffbench-reports 0.1.0-SNAPSHOT (commit 1a2b3c4)": what `--version` prints. */
    public static String line(String tool) {
        return tool + " " + version() + (commit().isEmpty() ? "" : " (commit " + commit() + ")");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/diffbench/version.properties")) {
            if (in != null) { // absent only when the classes were compiled without Maven's generate-resources
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
