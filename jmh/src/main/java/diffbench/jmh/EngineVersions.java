package diffbench.jmh;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The engine a row records. A fork reports what it loaded; the harness JVM, which never loads
 * libtorch, knows what is configured, and fills in whatever a fork did not report (it died before
 * loading the engine, or its engine failed to load). libtorch is part of the cell key, so without
 * that a failed re-run would leave the cell's earlier rows in place beside a row with no version.
 *
 * @param cuda empty when unknown or CPU-only
 * @param cudnn as "9.10.2"; empty when unknown (DJL's own JNI cannot tell) or CPU-only
 */
record EngineVersions(String libtorch, String djl, String cuda, String cudnn) {

    /** What DJL will load: PYTORCH_VERSION when set (DJL's own override), else the libtorch its engine is built for. */
    static EngineVersions configured() {
        String libtorch = Utils.getEnvOrSystemProperty("PYTORCH_VERSION");
        if (libtorch == null || libtorch.isBlank()) {
            libtorch = engineDefaultLibtorch();
        }
        // Engine's class initialisation only registers providers; no native library is loaded
        return new EngineVersions(libtorch, Engine.getDjlVersion(), "", "");
    }

    /** Each value of this one, or the fallback's where this one has none. */
    EngineVersions orElse(EngineVersions fallback) {
        return new EngineVersions(either(libtorch, fallback.libtorch), either(djl, fallback.djl), either(cuda, fallback.cuda),
                either(cudnn, fallback.cudnn));
    }

    private static String either(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String engineDefaultLibtorch() {
        // pytorch-engine.jar's build properties, which DJL itself reads for the version to download
        try (InputStream in = EngineVersions.class.getClassLoader().getResourceAsStream("pytorch-engine.properties")) {
            if (in == null) {
                return "";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("pytorch_version", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read DJL's pytorch-engine.properties", e);
        }
    }
}
