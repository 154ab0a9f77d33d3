package diffbench.peer;

/**
 * A network its Python twin cannot be written for: a class, argument or local named like a name the
 * twin file imports or defines, an argument type outside what the twin's typing imports, a string
 * Python would read differently. Refused, naming the class and method, rather than written into a
 * file that would compute something else.
 */
public final class UnsupportedScriptException extends IllegalArgumentException {
    public UnsupportedScriptException(String message) {
        super(message);
    }
}
