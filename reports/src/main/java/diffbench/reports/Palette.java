package diffbench.reports;

import diffbench.schema.Mode;
import java.util.List;

/**
 * Series colours as RGB ints (chart specs stay free of AWT). Okabe-Ito hues, which colour-blind
 * readers can tell apart; a column's software picks the hue and its mode the shade, so eager and
 * compiled bars of one libtorch read as a pair. Published figures are grey.
 */
final class Palette {
    private static final int[] HUES = {0x0072B2, 0xE69F00, 0x009E73, 0xD55E00, 0xCC79A7, 0x56B4E9, 0x8C6D1F, 0x3B3B98};
    private static final int[] GREYS = {0xB0B0B0, 0x707070, 0xC8C8C8, 0x505050, 0x909090, 0x303030, 0xE0E0E0, 0x606060, 0xA0A0A0, 0x404040};

    private Palette() {
    }

    static int hue(int i) {
        return HUES[Math.floorMod(i, HUES.length)];
    }

    static int grey(int i) {
        return GREYS[Math.floorMod(i, GREYS.length)];
    }

    /** Eager lighter, compiled the hue itself, ts-profiling a little lighter, CUDA-graph darker. */
    static int shade(int rgb, Column column) {
        if (column.isEager()) {
            return mix(rgb, 0xFFFFFF, 0.45);
        }
        if (Mode.tsProfiling.id().equals(column.mode())) {
            return mix(rgb, 0xFFFFFF, 0.2);
        }
        return Mode.cudaGraph.id().equals(column.mode()) ? mix(rgb, 0x000000, 0.3) : rgb;
    }

    /** Colours for columns: one hue per software (all but the mode), shaded by mode. */
    static List<Integer> forColumns(List<Column> columns) {
        List<Column> software = columns.stream().map(c -> new Column(c.gpu(), c.isPython() ? "python" : c.runtime(),
                c.libtorch(), c.jni(), "")).distinct().toList();
        return columns.stream().map(c -> shade(hue(software.indexOf(new Column(c.gpu(),
                c.isPython() ? "python" : c.runtime(), c.libtorch(), c.jni(), ""))), c)).toList();
    }

    private static int mix(int rgb, int with, double amount) {
        int r = channel(rgb, 16, with, amount);
        int g = channel(rgb, 8, with, amount);
        int b = channel(rgb, 0, with, amount);
        return (r << 16) | (g << 8) | b;
    }

    private static int channel(int rgb, int shift, int with, double amount) {
        int a = (rgb >> shift) & 0xFF;
        int w = (with >> shift) & 0xFF;
        return (int) Math.round(a + (w - a) * amount);
    }
}
