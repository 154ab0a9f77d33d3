package diffbench.jmh;

import diffbench.cli.RunCommand;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `diffbench run` is one cell of the harness: the concepts both take are spelled the same and default alike. */
class FrontDoorsTest {

    private static Set<String> names(Object command) {
        return new CommandLine(command).getCommandSpec().options().stream()
                .flatMap(o -> Arrays.stream(o.names())).collect(Collectors.toSet());
    }

    @Test
    void bothDoorsSpellTheCellsSettingsAlike() {
        Set<String> harness = names(new HarnessOptions());
        Set<String> run = names(new RunCommand());
        for (String shared : new String[] {"--profile", "--steps", "--warmups", "--measurements", "--attention", "--dtype",
                "--device", "--tiny"}) {
            assertTrue(harness.contains(shared) && run.contains(shared), shared + " in both: harness " + harness + ", run " + run);
        }
        // a list in the harness, one cell in run: both spellings name the same concept
        assertTrue(harness.contains("--batches") && run.contains("--batches"), "--batches");
        assertTrue(harness.contains("--pipelines") && run.contains("--pipeline"), "--pipeline(s)");
        assertTrue(harness.contains("--modes") && run.contains("--mode"), "--mode(s)");
    }

    @Test
    void bothDoorsDefaultToTheSameProfile() {
        HarnessOptions harness = new HarnessOptions();
        RunCommand run = new RunCommand();
        new CommandLine(harness).parseArgs();
        CommandLine runLine = new CommandLine(run);
        runLine.parseArgs("--pipeline", "sd-txt2img");
        assertEquals(harness.profile, runLine.getCommandSpec().findOption("--profile").getValue());
    }
}
