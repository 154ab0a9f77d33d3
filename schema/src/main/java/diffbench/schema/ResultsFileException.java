package diffbench.schema;

import java.io.IOException;

/** A results file that cannot be read or written; the message names the file (and line) and the fix. */
public class ResultsFileException extends IOException {
    public ResultsFileException(String message) {
        super(message);
    }

    public ResultsFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
