package diffbench.schema;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Replacing a file that other runs may be merging into too: the temp files behind atomic replacement
 * (write beside the target, then rename) and the lock that makes read-merge-replace one step.
 * A run killed between write and rename leaves its temp behind; the names tell which target it was
 * for ({@code .<target name>.<random>.tmp}, as peer/results_csv.py names its own), so the next run
 * can sweep them without touching anything else in the folder.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /**
     * Holds {@code .<target name>.lock} (an fcntl lock: peer/results_csv.py takes the same one with
     * lockf) until closed, so harnesses on several GPUs of one box, all merging into the same card's
     * CSV, never lose each other's rows ({@link LockFile}).
     */
    public static Lock lock(Path target) throws ResultsFileException {
        Path folder = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(folder);
            return new Lock(LockFile.hold(folder.resolve("." + target.getFileName() + ".lock"), () -> { }));
        } catch (IOException e) {
            throw unwritable(target, e);
        }
    }

    /** An exclusive hold on a target; closing releases it. */
    public static final class Lock implements AutoCloseable {
        private final LockFile held;

        private Lock(LockFile held) {
            this.held = held;
        }

        @Override
        public void close() throws IOException {
            held.close();
        }
    }

    /**
     * A new empty temp file in the target's folder (created if absent), named after the target, with
     * the target's permissions (a new target's: rw-r--r--), since the rename hands them on: a temp
     * file's own owner-only ones would hide the results from the rest of a team.
     */
    public static Path tempBeside(Path target) throws ResultsFileException {
        Path folder = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(folder);
            Path tmp = Files.createTempFile(folder, "." + target.getFileName() + ".", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target) : SHARED);
            } catch (UnsupportedOperationException notPosix) {
                // the file system's own defaults
            }
            return tmp;
        } catch (IOException e) {
            throw unwritable(target, e);
        }
    }

    private static final Set<PosixFilePermission> SHARED = PosixFilePermissions.fromString("rw-r--r--");

    private static ResultsFileException unwritable(Path target, IOException e) {
        // a file where the path wants a folder: no permission fixes that, another path does
        String fix = e instanceof FileAlreadyExistsException ? "choose another results path"
                : "make " + target.toAbsolutePath().getParent() + " writable or choose another results folder";
        return new ResultsFileException("cannot write " + target + ": " + reason(e) + "; " + fix, e);
    }

    /**
     * Checks, before a run spends hours on its first cell, that the target can be replaced as a merge
     * replaces it: under its lock, a temp beside it takes a copy of its bytes and is renamed onto it
     * (the same content; an absent target only gets a temp, removed again). An immutable file, a
     * read-only folder or mount fails here instead of after the cell, whose row would be lost.
     */
    public static void checkReplaceable(Path target) throws ResultsFileException {
        try (Lock lock = lock(target)) {
            Path tmp = tempBeside(target);
            try {
                if (Files.exists(target)) {
                    Files.copy(target, tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new ResultsFileException("cannot replace " + target + ": " + reason(e) + " (an immutable file, "
                        + "see lsattr, or a read-only mount?); it is unchanged: make it writable or choose another results file", e);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (ResultsFileException e) {
            throw e;
        } catch (IOException e) {
            throw unwritable(target, e);
        }
    }

    /** An I/O error in a few words ("permission denied", "Not a directory"), for one-line messages. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) { // what creating a folder says when a file is in the way
            return f.getFile() + " is a file, not a folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }


    /** Deletes temps an earlier, killed writer of this target left behind; returns what it deleted. */
    public static List<Path> removeLeftovers(Path target) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return removed;
        }
        String glob = "." + escapeGlob(target.getFileName().toString()) + ".*.tmp";
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(folder, glob)) {
            for (Path p : leftovers) {
                if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
                    removed.add(p);
                }
            }
        }
        return removed;
    }

    private static String escapeGlob(String name) {
        return name.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }
}
