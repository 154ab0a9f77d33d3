package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which card the rows are labelled with: the one CUDA will call device 0, on boxes of one or several cards. */
class NvidiaSmiTest {

    private static final Supplier<String> NO_MIG = () -> "";
    private static final String UUID_A100 = "GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77";
    private static final String UUID_T4 = "GPU-8f6c2ab1-0c1e-4c55-9a1b-1f2e3d4c5b6a";
    /** nvidia-smi --query-gpu=index,uuid,name,memory.total,driver_version on a mixed box. */
    private static final List<NvidiaSmi.Gpu> MIXED = NvidiaSmi.parse(
            "0, " + UUID_A100 + ", NVIDIA A100-SXM4-40GB, 40960, 580.82.07\n"
                    + "1, " + UUID_T4 + ", Tesla T4, 15360, 580.82.07\n");

    @Test
    void parsesEveryCardInIndexOrder() {
        assertEquals(List.of(new NvidiaSmi.Gpu("NVIDIA A100-SXM4-40GB", 40960, "580.82.07", UUID_A100),
                new NvidiaSmi.Gpu("Tesla T4", 15360, "580.82.07", UUID_T4)), MIXED);
        NvidiaSmi.Gpu bare = NvidiaSmi.parse("0, [N/A], Tesla T4, [N/A], [Not Supported]").get(0);
        assertEquals(new NvidiaSmi.Gpu("Tesla T4", -1, "", "0"), bare, "no UUID: -i takes the index");
        assertTrue(NvidiaSmi.parse("").isEmpty());
        assertEquals("a100-sxm4-40gb", HostEnvironment.slug(MIXED.get(0).name()));
    }

    @Test
    void aBoxOfOneModelNeedsNoDeviceOrder() {
        List<NvidiaSmi.Gpu> eight = NvidiaSmi.parse("0, GPU-a, NVIDIA H100 80GB HBM3, 81559, 580.1\n"
                + "1, GPU-b, NVIDIA H100 80GB HBM3, 81559, 580.1\n");
        assertEquals("GPU-a", NvidiaSmi.select(eight, null, null, NO_MIG).orElseThrow().id());
        assertEquals("GPU-b", NvidiaSmi.select(eight, "1,0", null, NO_MIG).orElseThrow().id(), "the first visible card");
    }

    @Test
    void onAMixedBoxAnIndexCountsOnlyInPciBusOrder() {
        assertEquals(UUID_T4, NvidiaSmi.select(MIXED, "1", "PCI_BUS_ID", NO_MIG).orElseThrow().id());
        assertEquals(UUID_A100, NvidiaSmi.select(MIXED, null, "PCI_BUS_ID", NO_MIG).orElseThrow().id());
        NvidiaSmi.AmbiguousGpu e = assertThrows(NvidiaSmi.AmbiguousGpu.class, () -> NvidiaSmi.select(MIXED, "1", null, NO_MIG));
        assertEquals("this box has different GPUs (0: NVIDIA A100-SXM4-40GB, 1: Tesla T4) and CUDA numbers them fastest "
                + "first, nvidia-smi by PCI bus: set CUDA_DEVICE_ORDER=PCI_BUS_ID and pick the card with "
                + "CUDA_VISIBLE_DEVICES=N (mvn jmh:run sets the order itself)", e.getMessage());
        assertThrows(NvidiaSmi.AmbiguousGpu.class, () -> NvidiaSmi.select(MIXED, null, "FASTEST_FIRST", NO_MIG));
        assertEquals("CUDA_VISIBLE_DEVICES=2 names GPU 2, but nvidia-smi lists 0: NVIDIA A100-SXM4-40GB, 1: Tesla T4: pick one of those",
                assertThrows(NvidiaSmi.AmbiguousGpu.class, () -> NvidiaSmi.select(MIXED, "2", "PCI_BUS_ID", NO_MIG)).getMessage());
    }

    @Test
    void aUuidOrAUniquePrefixOfOneNamesTheCardInAnyOrder() {
        assertEquals("Tesla T4", NvidiaSmi.select(MIXED, UUID_T4 + ",0", null, NO_MIG).orElseThrow().name());
        assertEquals("Tesla T4", NvidiaSmi.select(MIXED, "GPU-8f6c", null, NO_MIG).orElseThrow().name());
        assertThrows(NvidiaSmi.AmbiguousGpu.class, () -> NvidiaSmi.select(MIXED, "GPU-", null, NO_MIG));
        assertThrows(NvidiaSmi.AmbiguousGpu.class, () -> NvidiaSmi.select(MIXED, "GPU-ffff", null, NO_MIG));
    }

    @Test
    void hiddenCardsMeanNoGpu() {
        assertEquals(Optional.empty(), NvidiaSmi.select(MIXED, "", null, NO_MIG));
        assertEquals(Optional.empty(), NvidiaSmi.select(MIXED, "-1", null, NO_MIG));
        assertEquals(Optional.empty(), NvidiaSmi.select(List.of(), null, null, NO_MIG));
        assertThrows(NvidiaSmi.AmbiguousGpu.class, () -> NvidiaSmi.select(MIXED, "cuda:0", null, NO_MIG));
        assertThrows(NvidiaSmi.AmbiguousGpu.class, () -> NvidiaSmi.select(MIXED, "99999999999", "PCI_BUS_ID", NO_MIG));
    }

    /** The harness as a user starts it on a mixed box (a stand-in nvidia-smi): refused, or labelled with the chosen card. */
    @Test
    void theHarnessLabelsTheChosenCardOrSaysHowToChoose(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("nvidia-smi");
        Files.writeString(fake, "#!/bin/sh\nprintf '0, " + UUID_A100 + ", NVIDIA A100-SXM4-40GB, 40960, 580.82.07\\n"
                + "1, " + UUID_T4 + ", Tesla T4, 15360, 580.82.07\\n'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path csv = dir.resolve("r.csv");

        Harness unordered = harness(dir, csv, Map.of("CUDA_VISIBLE_DEVICES", "1"));
        assertEquals(HarnessMain.USAGE, unordered.exit(), unordered.output());
        assertTrue(unordered.output().contains("diffbench: this box has different GPUs (0: NVIDIA A100-SXM4-40GB, 1: Tesla T4)"),
                unordered.output());

        Harness pinned = harness(dir, csv, Map.of("CUDA_VISIBLE_DEVICES", "1", "CUDA_DEVICE_ORDER", "PCI_BUS_ID"));
        assertEquals(0, pinned.exit(), pinned.output());
        assertTrue(pinned.output().contains("diffbench: Tesla T4 (" + UUID_T4 + ")\n"), pinned.output());
        assertFalse(Files.exists(csv), "--peer-only without a Python: nothing ran");
    }

    private record Harness(int exit, String output) {}

    /** HarnessMain in its own JVM, with the stand-in nvidia-smi first on the PATH; --peer-only and no Python: no cell runs. */
    private static Harness harness(Path dir, Path csv, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Ddiffbench.root=" + System.getProperty("diffbench.root", "."), HarnessMain.class.getName(),
                "--results=" + csv, "--device=cpu", "--tiny", "--pipelines=sd-txt2img", "--batches=1", "--modes=eager",
                "--peer-only", "--python=" + dir.resolve("no-such-python")).redirectErrorStream(true);
        pb.environment().remove("CUDA_VISIBLE_DEVICES");
        pb.environment().remove("CUDA_DEVICE_ORDER");
        pb.environment().putAll(env);
        pb.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Harness(p.exitValue(), out);
    }

    /** A MIG instance is its own, smaller card: its own name, so its own results file; sampled on its card. */
    @Test
    void aMigSliceIsNamedAfterItsCardAndProfile() {
        String mig = "MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f";
        Supplier<String> listing = () -> "GPU 0: NVIDIA A100-SXM4-40GB (UUID: " + UUID_A100 + ")\n"
                + "  MIG 3g.20gb     Device  0: (UUID: MIG-0b6b7ac9-6c55-5b7e-b1a5-1f4a2c3d4e5f)\n"
                + "  MIG 1g.5gb      Device  1: (UUID: " + mig + ")\n"
                + "GPU 1: Tesla T4 (UUID: " + UUID_T4 + ")\n";
        NvidiaSmi.Gpu slice = NvidiaSmi.select(MIXED, mig, null, listing).orElseThrow();
        assertEquals(new NvidiaSmi.Gpu("NVIDIA A100-SXM4-40GB MIG 1g.5gb", -1, "580.82.07", UUID_A100), slice);
        assertEquals("a100-sxm4-40gb-mig-1g-5gb", HostEnvironment.slug(slice.name()));
        assertThrows(NvidiaSmi.AmbiguousGpu.class, () -> NvidiaSmi.select(MIXED, "MIG-ffff", null, listing));

        // a card split into instances runs as one of them: the only one, or the one named
        assertEquals("Tesla T4", NvidiaSmi.select(MIXED, "1", "PCI_BUS_ID", listing).orElseThrow().name(), "not split");
        NvidiaSmi.AmbiguousGpu split = assertThrows(NvidiaSmi.AmbiguousGpu.class, () -> NvidiaSmi.select(MIXED, null, "PCI_BUS_ID", listing));
        assertEquals("NVIDIA A100-SXM4-40GB (" + UUID_A100 + ") is split into 2 MIG instances: pick one with "
                + "CUDA_VISIBLE_DEVICES=MIG-... (nvidia-smi -L lists them)", split.getMessage());
        Supplier<String> oneInstance = () -> "GPU 0: NVIDIA A100-SXM4-40GB (UUID: " + UUID_A100 + ")\n"
                + "  MIG 7g.40gb     Device  0: (UUID: " + mig + ")\n"
                + "GPU 1: Tesla T4 (UUID: " + UUID_T4 + ")\n";
        assertEquals("NVIDIA A100-SXM4-40GB MIG 7g.40gb", NvidiaSmi.select(MIXED, UUID_A100, null, oneInstance).orElseThrow().name());
    }
}
