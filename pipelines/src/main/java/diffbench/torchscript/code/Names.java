package diffbench.torchscript.code;

/** Identifier rules both languages share. */
public final class Names {
    private Names() {
    }

    public static boolean isIdentifier(String s) {
        return s.matches("[A-Za-z_][A-Za-z0-9_]*");
    }
}
