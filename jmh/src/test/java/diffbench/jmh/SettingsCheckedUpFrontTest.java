package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every setting is checked before the first cell (issue 16, items 6 and 8): a setting no cell could
 * run with is one line and exit 2, not a run of `error` rows with stack traces that exits 0.
 */
class SettingsCheckedUpFrontTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearInjection() {
        System.clearProperty(FaultInjection.OOM);
        System.clearProperty(FaultInjection.HANG);
    }

    /** The harness's stderr for a run that must be refused before any cell, with nothing written. */
    private String refused(String... selection) {
        Path csv = dir.resolve("r.csv");
        String[] args = new String[selection.length + 3];
        args[0] = "--results=" + csv;
        args[1] = "--device=cpu";
        args[2] = "--pipelines=sd-txt2img";
        System.arraycopy(selection, 0, args, 3, selection.length);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = HarnessMain.run(args);
        } finally {
            System.setErr(err);
        }
        String said = captured.toString(StandardCharsets.UTF_8);
        assertEquals(HarnessMain.USAGE, status, said);
        assertFalse(Files.exists(csv), "no cell ran");
        assertEquals(1, said.lines().count(), "one line: " + said);
        return said.strip();
    }

    @Test
    void moreStepsThanTheSchedulerHasAreRefused() {
        assertEquals("diffbench: sd-txt2img cannot run 3000 steps (num_inference_steps 3000 exceeds num_train_timesteps 1000): "
                + "use fewer steps", refused("--batches=1", "--modes=eager", "--steps=3000"));
        // IF's stage I runs twice the cell's steps
        String ifStages = refused("--pipelines=if", "--batches=1", "--modes=eager", "--steps=600");
        assertTrue(ifStages.startsWith("diffbench: if cannot run 600 steps (num_inference_steps 1200 exceeds"), ifStages);
    }

    @Test
    void cudaGraphModeOnCpuIsRefused() {
        assertEquals("diffbench: sd-txt2img batch 1 cuda-graph sdpa fp32 5 steps tiny on cpu: mode cuda-graph cannot run here: "
                + "it needs a CUDA GPU (this cell runs on cpu); use ts-profiling", refused("--batches=1", "--modes=eager,cuda-graph"));
    }

    @Test
    void emulatingACardOnCpuIsRefused() {
        assertEquals("diffbench: --emulate caps GPU memory, and this run is on CPU: leave --emulate out, or run on a GPU",
                refused("--batches=1", "--modes=eager", "--emulate=T4"));
    }

    @Test
    void aFaultSelectorNamingNoCellIsRefused() {
        System.setProperty(FaultInjection.OOM, "sd-txt2img:1:eagr=load");
        assertEquals("diffbench: -Ddiffbench.inject.oom names cell 'sd-txt2img:1:eagr', which this run does not have: "
                + "use pipeline:batch:mode of one of sd-txt2img:1:eager, sd-txt2img:2:eager",
                refused("--batches=1,2", "--modes=eager"));
    }
}
