package diffbench.weights;

/** A safetensors file that cannot be read as one: the message names the file and what is wrong. */
public final class SafetensorsFormatException extends RuntimeException {
    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
