package diffbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionTest {

    @Test
    void versionIsThePomsWithTheCommit() throws Exception {
        Matcher m = Pattern.compile("<artifactId>diffbench-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("..", "pom.xml")));
        assertTrue(m.find());
        StringWriter out = new StringWriter();
        assertEquals(0, new CommandLine(new ReportMain()).setOut(new PrintWriter(out)).execute("--version"));
        StringWriter err = new StringWriter();
        assertEquals(2, ReportMain.commandLine().setErr(new PrintWriter(err)).execute("--result", "x"));
        assertTrue(err.toString().startsWith("diffbench-reports: Unknown options: '--result', 'x'")
                || err.toString().startsWith("diffbench-reports: Unknown option: '--result'"), "one prefix for every error: " + err);
        assertTrue(err.toString().contains("--results"), "the option meant: " + err);
        assertTrue(out.toString().matches("diffbench-reports " + Pattern.quote(m.group(1)) + "( \\(commit [0-9a-f]+\\))?\\R"), out.toString());
    }
}
