package diffbench.torchscript.code;

/** Identifier rules both languages share. */
final class Names {
    private Names() {
    }

    static boolean isIdentifier(String s) {
        return s.matches("[A-Za-z_][A-Za-z0-9_]*");
    }
}
