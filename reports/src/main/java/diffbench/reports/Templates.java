package diffbench.reports;

import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The page templates (resources under {@code diffbench/reports/templates/}), for HTML and Markdown. */
final class Templates {
    private static final String ROOT = "/diffbench/reports/templates/";
    private final Map<String, Template> cache = new HashMap<>();
    private final Mustache.Compiler html;
    private final Mustache.Compiler markdown;

    Templates() {
        html = Mustache.compiler().defaultValue("").emptyStringIsFalse(true).withLoader(name -> open(name + ".html.mustache"));
        // Markdown tables break on a pipe or a newline inside a cell; angle brackets would be read as HTML
        markdown = Mustache.compiler().defaultValue("").emptyStringIsFalse(true)
                .withEscaper(Escapers.simple(new String[][] {{"|", "\\|"}, {"\n", " "}, {"<", "&lt;"}}))
                .withLoader(name -> open(name + ".md.mustache"));
    }

    String html(String name, Object model) {
        return render(html, name + ".html.mustache", model);
    }

    String markdown(String name, Object model) {
        return render(markdown, name + ".md.mustache", model);
    }

    private String render(Mustache.Compiler compiler, String file, Object model) {
        Template t = cache.computeIfAbsent(file, f -> {
            try (Reader r = open(f)) {
                return compiler.compile(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return Pages.MARKER + "\n" + t.execute(model);
    }

    private static Reader open(String file) {
        InputStream in = Templates.class.getResourceAsStream(ROOT + file);
        if (in == null) {
            throw new IllegalStateException("template missing from the jar: " + ROOT + file);
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
}
