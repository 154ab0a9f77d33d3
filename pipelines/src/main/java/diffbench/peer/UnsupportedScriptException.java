package diffbench.peer;

/**
 * TorchScript the Python translator does not know: it refuses rather than guess, so a new construct
 * in the emitted networks fails the export (and the test that covers every catalog network) instead
 * of producing a twin that computes something else.
 */
public final class UnsupportedScriptException extends IllegalArgumentException {
    public UnsupportedScriptException(String message) {
        super(message);
    }
}
