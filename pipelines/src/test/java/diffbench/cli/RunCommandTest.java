package diffbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `diffbench run` end to end on CPU (tiny configs, eager), and its one-line errors for bad input. */
class RunCommandTest {
    @TempDir
    Path dir;

    private static CliRun.Result run(String... args) {
        return CliRun.execute(args);
    }

    @Test
    void runsATinyPipelineAndReportsItsFigures() throws Exception {
        // --warmup and --calls: the deprecated spellings of --warmups and --measurements still work
        CliRun.Result r = run("run", "--pipeline", "sd-txt2img", "--device", "cpu", "--tiny", "--steps", "2",
                "--warmup", "1", "--calls", "1", "--save-images", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().matches("(?s).*call 1: [0-9.]+ s per call, [0-9.]+ it/s \\(denoiser 0\\.[0-9]+ TFLOP/s\\), [0-9.]+ s outside the denoising loop, "
                + "peak GPU memory n/a, output ok.*"), r.out());
        assertTrue(r.out().contains("tiny configs on cpu, seeded synthetic weights"), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("sd-txt2img-0.png")), "image saved");
    }

    @Test
    void theIfCascadeReportsEachStage() {
        CliRun.Result r = run("run", "--pipeline", "if", "--device", "cpu", "--tiny", "--steps", "2", "--warmups", "0",
                "--measurements", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().matches("(?s).*stage I [0-9.]+ it/s \\(denoiser [0-9.]+ TFLOP/s\\), stage II [0-9.]+ it/s .*, "
                + "stage III [0-9.]+ it/s .*, output I ok, II ok, III ok.*"), r.out());
    }

    @Test
    void badInputGivesOneLineNamingTheFix() throws Exception {
        assertOneLine(run("run", "--pipeline", "sd-txt3img", "--device", "cpu"), "unknown pipeline 'sd-txt3img': use one of");
        assertOneLine(run("run", "--pipeline", "sd-txt2img", "--device", "cpu", "--tiny", "--batch", "0"), "batch must be at least 1");
        assertOneLine(run("run", "--pipeline", "sd-txt2img", "--device", "cpu", "--tiny", "--steps", "0"), "steps must be at least 1");
        // the harness's checks and lines, from the one Profile and schema's vocabulary
        assertOneLine(run("run", "--pipeline", "sd-txt2img", "--device", "cpu", "--tiny", "--measurements", "0"),
                "--measurements must be at least 1, not 0");
        assertOneLine(run("run", "--pipeline", "sd-txt2img", "--device", "cpu", "--tiny", "--warmups", "-1"),
                "--warmups must be 0 or more, not -1");
        assertOneLine(run("run", "--pipeline", "sd-txt2img", "--device", "npu"), "unknown device 'npu': use one of cpu, gpu");
        assertOneLine(run("run", "--pipeline", "sd-txt2img", "--device", "cpu", "--dtype", "fp8"), "unknown dtype 'fp8': use one of fp16, bf16, fp32");
        assertOneLine(run("run", "--pipeline", "sd-txt2img", "--device", "cpu", "--tiny", "--steps", "1", "--batch", "100000"),
                "of host memory (weights and activations, estimated), more than the");
        assertOneLine(run("run", "--pipeline", "sd-txt2img", "--device", "cpu", "--tiny", "--steps", "1", "--mode", "cuda-graph"),
                "mode cuda-graph cannot run here: it needs a CUDA GPU (this cell runs on cpu); use ts-profiling");
        assertOneLine(run("run", "--pipeline", "sd-img2img", "--device", "cpu", "--tiny", "--steps", "1",
                "--image", dir.resolve("missing.png").toString()), "missing.png");
        assertOneLine(run("run", "--pipeline", "sd-txt2img", "--device", "cpu", "--tiny", "--steps", "1",
                "--image", dir.resolve("any.png").toString()),
                "--image is an input of sd-img2img, sd-inpaint and sd-controlnet; sd-txt2img takes none: leave --image out");
        assertOneLine(run("run", "--pipeline", "sd-img2img", "--device", "cpu", "--tiny", "--steps", "1",
                "--mask", dir.resolve("any.png").toString()), "--mask is an input of sd-inpaint only");
        Path folder = Files.createDirectories(dir.resolve("pipeline"));
        Files.createDirectories(folder.resolve("unet"));
        assertOneLine(run("run", "--pipeline", "sd-txt2img", "--device", "cpu", "--tiny", "--steps", "1",
                "--weights", folder.toString()), "the folder needs vocab.json and merges.txt");
        Path tokenizer = Files.createDirectories(folder.resolve("tokenizer"));
        Files.writeString(tokenizer.resolve("vocab.json"), "{\"a</w>\": 0, \"<|startoftext|>\": 49406, \"<|endoftext|>\": 49407}");
        Files.writeString(tokenizer.resolve("merges.txt"), "#version: 0.2\n");
        assertOneLine(run("run", "--pipeline", "sd-txt2img", "--device", "cpu", "--tiny", "--steps", "1",
                "--weights", folder.toString()), "has no text_encoder/ component");
        assertOneLine(run("run", "--pipeline", "sd-txt2img", "--device", "cpu", "--tiny",
                "--weights", dir.resolve("nowhere").toString()), "is not a folder");
    }

    private static void assertOneLine(CliRun.Result r, String expected) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        String err = r.err().strip();
        assertTrue(err.startsWith("diffbench: ") && !err.contains("\n"), "one line: " + err);
        assertTrue(err.contains(expected), err);
    }
}
