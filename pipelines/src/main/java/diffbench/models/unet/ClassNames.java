package diffbench.models.unet;

import diffbench.nn.Layer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * TorchScript class names for composite blocks. A block's source is a function of its type and of
 * its children's classes (how many resnets, whether they have shortcuts, which attention), so the
 * name is the block type plus a hash of the children's names and classes: blocks that differ get
 * different classes, identical blocks share one.
 */
public final class ClassNames {
    private ClassNames() {
    }

    public static String unique(String base, Layer layer) {
        StringBuilder s = new StringBuilder(base);
        for (Map.Entry<String, Layer> c : layer.children().entrySet()) {
            s.append('|').append(c.getKey()).append('=').append(c.getValue().className());
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : s.toString().getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return base + "_" + Long.toHexString(h).substring(0, Math.min(10, Long.toHexString(h).length()));
    }
}
