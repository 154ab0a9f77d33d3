package diffbench.jmh;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The GPU the forks run on, as `nvidia-smi` reports it; absent when there is no nvidia-smi or CUDA
 * is shown no GPU. On a box with several cards that is the one CUDA calls device 0: the first of
 * CUDA_VISIBLE_DEVICES (an index, a GPU- or MIG- UUID), else the first card, so a run pinned to
 * one card of eight, or to a MIG instance, is labelled with that card or instance.
 */
final class NvidiaSmi {

    /** {@code id}: how nvidia-smi's {@code -i} names the card (its UUID, or its index where none is given). */
    record Gpu(String name, long memoryMib, String driver, String id) {}

    /** The harness cannot tell which card CUDA will use; the message names the fix. */
    static final class AmbiguousGpu extends IllegalArgumentException {
        AmbiguousGpu(String message) {
            super(message);
        }
    }

    static final List<String> QUERY = List.of("nvidia-smi",
            "--query-gpu=index,uuid,name,memory.total,driver_version", "--format=csv,noheader,nounits");
    /** Lists MIG instances under their cards (the query above does not). */
    static final List<String> LIST = List.of("nvidia-smi", "-L");

    private static final Pattern LISTED_GPU = Pattern.compile("^GPU (\\d+): .*\\(UUID: (GPU-[^)]+)\\)\\s*$");
    private static final Pattern LISTED_MIG = Pattern.compile("^\\s+MIG (\\S+)\\s+Device\\s+\\d+: \\(UUID: (MIG-[^)]+)\\)\\s*$");

    private NvidiaSmi() {}

    /** The card this process's CUDA will use (CUDA_VISIBLE_DEVICES, CUDA_DEVICE_ORDER of its environment). */
    static Optional<Gpu> query() {
        return Box.ask().visible(System.getenv("CUDA_VISIBLE_DEVICES"), System.getenv("CUDA_DEVICE_ORDER"));
    }

    /** The cards as nvidia-smi listed them once (none without nvidia-smi), for one or several questions. */
    static final class Box {
        private final List<Gpu> cards;
        private String migListing;

        private Box(List<Gpu> cards) {
            this.cards = cards;
        }

        static Box ask() {
            // no nvidia-smi on the PATH (or it failed): no NVIDIA GPU here
            return new Box(ShortCommand.output(QUERY, 30).map(NvidiaSmi::parse).orElse(List.of()));
        }

        /** The card a process with these two variables would use; empty without a GPU. */
        Optional<Gpu> visible(String cudaVisibleDevices, String cudaDeviceOrder) {
            return select(cards, cudaVisibleDevices, cudaDeviceOrder, this::migListing);
        }

        private synchronized String migListing() {
            if (migListing == null) {
                migListing = ShortCommand.output(LIST, 30).orElse("");
            }
            return migListing;
        }
    }

    /**
     * The card CUDA will call device 0, given CUDA_VISIBLE_DEVICES and CUDA_DEVICE_ORDER (either may
     * be null: unset). CUDA numbers cards fastest first unless told PCI_BUS_ID, nvidia-smi always by
     * PCI bus: on a box of one model both agree, on a mixed box only PCI_BUS_ID makes an index mean
     * the same card to both (the Maven plugin and the bundle's scripts set it). A card split into MIG
     * instances runs as one of them ({@code nvidia-smi -L} lists them).
     *
     * @throws AmbiguousGpu when that card cannot be known
     */
    static Optional<Gpu> select(List<Gpu> cards, String visible, String order, Supplier<String> migListing) {
        if (cards.isEmpty()) {
            return Optional.empty();
        }
        String first = firstVisible(visible);
        if (first != null && (first.isEmpty() || first.startsWith("-"))) {
            return Optional.empty(); // CUDA_VISIBLE_DEVICES="" or -1: CUDA sees no GPU
        }
        if (first != null && first.startsWith("MIG-")) {
            return Optional.of(migSlices(cards, migListing.get()).stream().filter(m -> m.uuid().equals(first))
                    .map(MigSlice::gpu).findFirst().orElseThrow(() -> new AmbiguousGpu("CUDA_VISIBLE_DEVICES=" + visible
                            + " names a MIG instance nvidia-smi -L does not list: give one it lists")));
        }
        Gpu card = wholeCard(cards, first, visible, order);
        List<MigSlice> slices = migSlices(cards, migListing.get()).stream().filter(m -> m.gpu().id().equals(card.id())).toList();
        if (slices.size() > 1) {
            throw new AmbiguousGpu(card.name() + " (" + card.id() + ") is split into " + slices.size()
                    + " MIG instances: pick one with CUDA_VISIBLE_DEVICES=MIG-... (nvidia-smi -L lists them)");
        }
        return Optional.of(slices.isEmpty() ? card : slices.get(0).gpu());
    }

    /** CUDA's device 0 as CUDA_VISIBLE_DEVICES names it: its first entry; null when the variable is unset. */
    static String firstVisible(String cudaVisibleDevices) {
        return cudaVisibleDevices == null ? null : cudaVisibleDevices.split(",")[0].strip();
    }

    /** The card an index (or none: the first) or a GPU- UUID names. */
    private static Gpu wholeCard(List<Gpu> cards, String first, String visible, String order) {
        if (first == null || (first.length() < 9 && first.chars().allMatch(Character::isDigit))) {
            int index = first == null ? 0 : Integer.parseInt(first);
            if (!"PCI_BUS_ID".equals(order) && cards.stream().map(Gpu::name).distinct().count() > 1) {
                throw new AmbiguousGpu("this box has different GPUs (" + String.join(", ", numbered(cards))
                        + ") and CUDA numbers them fastest first, nvidia-smi by PCI bus: set CUDA_DEVICE_ORDER=PCI_BUS_ID "
                        + "and pick the card with CUDA_VISIBLE_DEVICES=N (mvn jmh:run sets the order itself)");
            }
            if (index >= cards.size()) {
                throw new AmbiguousGpu("CUDA_VISIBLE_DEVICES=" + visible + " names GPU " + index + ", but nvidia-smi lists "
                        + String.join(", ", numbered(cards)) + ": pick one of those");
            }
            return cards.get(index);
        }
        if (first.startsWith("GPU-")) { // CUDA takes any unique prefix of a UUID
            List<Gpu> hits = cards.stream().filter(c -> c.id().startsWith(first)).toList();
            if (hits.size() != 1) {
                throw new AmbiguousGpu("CUDA_VISIBLE_DEVICES=" + visible + " matches " + hits.size()
                        + " of the GPUs nvidia-smi lists (nvidia-smi -L shows their UUIDs): give one card's UUID");
            }
            return hits.get(0);
        }
        throw new AmbiguousGpu("CUDA_VISIBLE_DEVICES=" + visible + " is not a GPU index, GPU- or MIG- UUID: give one of those");
    }

    /**
     * A MIG instance runs as a smaller card: named after its card and profile ("NVIDIA A100-SXM4-40GB
     * MIG 1g.5gb"), so its rows land in their own results file; its memory is the profile's, not given
     * here; nvidia-smi samples its card.
     */
    private record MigSlice(String uuid, Gpu gpu) {}

    /** The MIG instances {@code nvidia-smi -L} lists under the cards (none where MIG is off). */
    private static List<MigSlice> migSlices(List<Gpu> cards, String listing) {
        List<MigSlice> slices = new ArrayList<>();
        Gpu card = null;
        for (String line : listing.split("\n")) {
            Matcher g = LISTED_GPU.matcher(line);
            if (g.matches()) {
                String cardUuid = g.group(2);
                card = cards.stream().filter(c -> c.id().equals(cardUuid)).findFirst().orElse(null);
                continue;
            }
            Matcher m = LISTED_MIG.matcher(line);
            if (m.matches() && card != null) {
                slices.add(new MigSlice(m.group(2), new Gpu(card.name() + " MIG " + m.group(1), -1, card.driver(), card.id())));
            }
        }
        return slices;
    }

    private static List<String> numbered(List<Gpu> cards) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cards.size(); i++) {
            out.add(i + ": " + cards.get(i).name());
        }
        return out;
    }

    /** Parses `index, uuid, name, memory.total, driver_version` lines (fields separated by ", "), in index order. */
    static List<Gpu> parse(String csv) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        List<Gpu> cards = new ArrayList<>();
        try (CSVParser parser = format.parse(new StringReader(csv))) {
            for (CSVRecord r : parser) {
                if (r.size() >= 5) {
                    String uuid = value(r.get(1));
                    cards.add(new Gpu(r.get(2), memory(r.get(3)), value(r.get(4)), uuid.isEmpty() ? r.get(0) : uuid));
                }
            }
            return cards;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long memory(String field) {
        String v = value(field);
        return v.isEmpty() ? -1 : Long.parseLong(v);
    }

    /** nvidia-smi writes `[N/A]` or `[Not Supported]` for what it cannot tell. */
    private static String value(String field) {
        return field.startsWith("[") ? "" : field;
    }
}
