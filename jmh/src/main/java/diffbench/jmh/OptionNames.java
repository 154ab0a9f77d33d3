package diffbench.jmh;

import picocli.CommandLine;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Messages name an option the way the user typed it: `-DcellTimeout` under `mvn jmh:run` (the plugin
 * says so with {@link #VIA_PROPERTY}), `--cell-timeout` when the harness is run directly.
 */
final class OptionNames {

    /** Set to "maven" by `mvn jmh:run`, whose user passes options as `-Dname=value`. */
    static final String VIA_PROPERTY = "diffbench.via";

    /** The harness's long option names, as written in messages (`--cell-timeout`). */
    private static final Set<String> OPTIONS = new CommandLine(new HarnessOptions()).getCommandSpec().options().stream()
            .flatMap(o -> Arrays.stream(o.names())).filter(n -> n.startsWith("--")).collect(Collectors.toSet());
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-zA-Z-]*[a-zA-Z]");

    private OptionNames() {}

    static boolean viaMaven() {
        return "maven".equals(System.getProperty(VIA_PROPERTY));
    }

    /** `--cell-timeout` as the user would type it: itself, or `-DcellTimeout` under Maven. */
    static String typed(String option) {
        return viaMaven() && OPTIONS.contains(option) ? "-D" + camel(option.substring(2)) : option;
    }

    /** A message with each harness option in it named as the user types it. */
    static String inMessage(String message) {
        if (!viaMaven() || message == null) {
            return message;
        }
        Matcher m = OPTION.matcher(message);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(typed(m.group())));
        }
        return m.appendTail(b).toString();
    }

    /** `cell-timeout` to `cellTimeout`, the property name the plugin turns into `--cellTimeout`. */
    static String camel(String kebab) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }
}
