package diffbench.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything that changes an AOTInductor package, and so keys the package cache. The network part
 * (architecture with dtype and attention, method, input shapes and dtypes, Inductor options, the
 * compile script) says which package a call needs; the machine part (torch version, device: "cpu" or
 * "cuda 13.0 sm_90") says where it can run. A folder of packages from another machine is searched by
 * the network part and refused, with the reason, when the machine part differs.
 *
 * @param network        readable name, e.g. {@code sd15-unet-tiny-fp32}
 * @param architecture   the archive's fingerprint (module tree, dtypes, attention; not weight values)
 * @param method         the archive method the package runs
 * @param inputs         one {@code dtype[shape]} per input, e.g. {@code float32[2, 4, 16, 16]}
 * @param options        the Inductor option set ({@link InductorOptions})
 * @param script         digest of the compile script (a changed export or compile recipe is a new package)
 * @param torch          the torch version of the JNI (and of the python3 that compiles)
 * @param device         {@code cpu}, or {@code cuda sm_XY} with the GPU's compute capability
 */
public record AotiPackageKey(String network, String architecture, String method, List<String> inputs,
                             InductorOptions options, String script, String torch, String device) {

    /** Bumped when the package layout or this key's meaning changes. */
    static final int FORMAT = 1;

    /** The key's fields as written next to the package ({@code key.properties}), in a stable order. */
    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("format", Integer.toString(FORMAT));
        f.put("network", network);
        f.put("architecture", architecture);
        f.put("method", method);
        f.put("inputs", String.join("; ", inputs));
        f.put("inductor_options", options.id());
        f.put("compile_script", script);
        f.put("torch", torch);
        f.put("device", device);
        return f;
    }

    /** The fields that must match for a package to be the one a call needs (all but torch and device). */
    static final List<String> NETWORK_FIELDS = List.of("format", "network", "architecture", "method", "inputs",
            "inductor_options", "compile_script");

    /** The fields that must match for a package to run on this machine. */
    static final List<String> MACHINE_FIELDS = List.of("torch", "device");

    /** Whether {@code stored} (a package's key.properties) describes the package this key needs, on any machine. */
    boolean sameNetwork(Properties stored) {
        Map<String, String> mine = fields();
        return NETWORK_FIELDS.stream().allMatch(k -> mine.get(k).equals(stored.getProperty(k)));
    }

    /** Why a package compiled for {@code stored} cannot run here, or null when it can. */
    String machineMismatch(Properties stored) {
        Map<String, String> mine = fields();
        for (String k : MACHINE_FIELDS) {
            if (!mine.get(k).equals(stored.getProperty(k))) {
                return "it was compiled for " + k + " " + stored.getProperty(k, "(none recorded)") + ", this run needs "
                        + mine.get(k);
            }
        }
        return null;
    }

    /** The cache folder's name: readable network name + digest of every field. */
    public String folderName() {
        StringBuilder all = new StringBuilder();
        fields().forEach((k, v) -> all.append(k).append('=').append(v).append('\n'));
        return network + "-" + sha256(all.toString()).substring(0, 16);
    }

    static String sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
