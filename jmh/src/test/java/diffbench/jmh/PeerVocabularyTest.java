package diffbench.jmh;

import diffbench.schema.Attention;
import diffbench.schema.CellTerm;
import diffbench.schema.DeviceKind;
import diffbench.schema.Dtype;
import diffbench.schema.Mode;
import diffbench.schema.PipelineId;
import diffbench.schema.RuntimeKind;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch peer spells the cell's vocabulary as schema's types do (read from its sources, as
 * PeerRunnerTest reads its CSV columns): runtimes, dtypes and attention kinds in display order,
 * pipelines, modes and devices among the known ids.
 */
class PeerVocabularyTest {
    private static final Path PEER = Path.of("..", "peer").toAbsolutePath().normalize();
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    @Test
    void runPeerListsTheSchemaIds() throws Exception {
        String source = Files.readString(PEER.resolve("run_peer.py"));
        assertEquals(Arrays.stream(RuntimeKind.values()).filter(RuntimeKind::isPython).map(RuntimeKind::id).toList(),
                keys(source, "RUNTIMES"));
        assertEquals(CellTerm.ids(Dtype.class), keys(source, "DTYPES"));
        assertTrue(CellTerm.ids(PipelineId.class).containsAll(keys(source, "PIPELINES")), keys(source, "PIPELINES").toString());
        Matcher attention = Pattern.compile("\"--attention\", default=\"([a-z]+)\", choices=\\[(.*?)\\]").matcher(source);
        assertTrue(attention.find(), "run_peer.py has no --attention option");
        assertEquals(Attention.sdpa.id(), attention.group(1));
        assertEquals(CellTerm.ids(Attention.class), quoted(attention.group(2)));
        assertKnown(DeviceKind.class, found(source, "\"device\": \"([a-z]+)\" if .*? else \"([a-z]+)\""));
        assertKnown(Mode.class, found(source, "\"mode\": \"([a-z-]+)\" if .*? else \"([a-z-]+)\""));
    }

    @Test
    void theRowUpgradeNamesKnownModes() throws Exception {
        String source = Files.readString(PEER.resolve("results_csv.py"));
        List<String> modes = found(source, "mode == \"([a-z-]+)\"|mode in \\(\"([a-z-]+)\", \"([a-z-]+)\"\\)|row\\[\"mode\"\\] = \"([a-z-]+)\"");
        assertTrue(modes.contains(Mode.tsProfiling.id()), modes.toString());
        assertKnown(Mode.class, modes);
    }

    /** The quoted keys of a top-level dict literal {@code NAME = {...}}, in order. */
    private static List<String> keys(String source, String name) {
        Matcher block = Pattern.compile("(?s)\\n" + name + " = \\{(.*?)\\}").matcher(source);
        assertTrue(block.find(), name + " not found");
        return Pattern.compile("\"([^\"]+)\":").matcher(block.group(1)).results().map(m -> m.group(1)).toList();
    }

    private static List<String> quoted(String text) {
        return QUOTED.matcher(text).results().map(m -> m.group(1)).toList();
    }

    /** Every group of every match of {@code regex}. */
    private static List<String> found(String source, String regex) {
        return Pattern.compile(regex).matcher(source).results()
                .flatMap(m -> IntStream.rangeClosed(1, m.groupCount()).mapToObj(m::group))
                .filter(g -> g != null).toList();
    }

    private static <E extends Enum<E> & CellTerm> void assertKnown(Class<E> type, List<String> ids) {
        assertTrue(!ids.isEmpty() && CellTerm.ids(type).containsAll(ids), type.getSimpleName() + ": " + ids);
    }
}
