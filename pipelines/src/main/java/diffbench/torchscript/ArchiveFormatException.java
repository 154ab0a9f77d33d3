package diffbench.torchscript;

/** An archive that libtorch would reject or misread; the message names the record at fault. */
public class ArchiveFormatException extends RuntimeException {
    public ArchiveFormatException(String message) {
        super(message);
    }

    public ArchiveFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
