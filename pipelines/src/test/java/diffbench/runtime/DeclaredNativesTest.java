package diffbench.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The symbol lists the native build checks against (native/generated/*.txt, packaged as
 * resources) must name exactly the natives that the Java classes on the class path declare. After
 * a DJL upgrade this fails until native/tools/gen-natives.sh is rerun.
 */
class DeclaredNativesTest {

    @Test
    void declaredNativesListMatchesDjlsPyTorchLibrary() throws Exception {
        Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary", false, getClass().getClassLoader());
        assertEquals(jniNames(lib), resourceLines("native/generated/declared-natives.txt"),
                "native/generated/declared-natives.txt is stale: run native/tools/gen-natives.sh");
    }

    @Test
    void projectNativesListMatchesProjectNativesClass() throws Exception {
        assertEquals(jniNames(ProjectNatives.class), resourceLines("native/generated/project-natives.txt"),
                "native/generated/project-natives.txt is stale: run native/tools/gen-natives.sh");
    }

    @Test
    void jniNameManglingFollowsTheSpecification() {
        assertEquals("Java_p_C_f_1g", "Java_p_C_" + mangle("f_g"));
        assertEquals("_3Ljava_lang_String_2", mangle("[Ljava/lang/String;"));
    }

    /** Short names, or long names (name__descriptor-args) for overloaded methods, as the JVM binds them. */
    static TreeSet<String> jniNames(Class<?> c) {
        List<Method> natives = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isNative(m.getModifiers())) {
                natives.add(m);
                counts.merge(m.getName(), 1, Integer::sum);
            }
        }
        String prefix = "Java_" + mangle(c.getName().replace('.', '/')) + "_";
        TreeSet<String> names = new TreeSet<>();
        for (Method m : natives) {
            String name = prefix + mangle(m.getName());
            if (counts.get(m.getName()) > 1) {
                StringBuilder args = new StringBuilder();
                for (Class<?> p : m.getParameterTypes()) {
                    args.append(descriptor(p));
                }
                name += "__" + mangle(args.toString());
            }
            names.add(name);
        }
        return names;
    }

    private static String descriptor(Class<?> c) {
        if (c.isArray()) {
            return c.getName().replace('.', '/');
        }
        if (c.isPrimitive()) {
            return switch (c.getName()) {
                case "int" -> "I";
                case "long" -> "J";
                case "float" -> "F";
                case "double" -> "D";
                case "boolean" -> "Z";
                case "byte" -> "B";
                case "char" -> "C";
                case "short" -> "S";
                default -> "V";
            };
        }
        return "L" + c.getName().replace('.', '/') + ";";
    }

    /** JNI escaping: '/' -> '_', '_' -> _1, ';' -> _2, '[' -> _3, non-ASCII -> _0xxxx. */
    static String mangle(String s) {
        StringBuilder out = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '/' -> out.append('_');
                case '_' -> out.append("_1");
                case ';' -> out.append("_2");
                case '[' -> out.append("_3");
                default -> {
                    if (ch < 128 && Character.isLetterOrDigit(ch)) {
                        out.append(ch);
                    } else {
                        out.append(String.format("_0%04x", (int) ch));
                    }
                }
            }
        }
        return out.toString();
    }

    private TreeSet<String> resourceLines(String name) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name + " is not packaged (pipelines/pom.xml resources)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
