package dev.berth.daemon.image;

import dev.berth.core.errors.InternalException;
import dev.berth.core.errors.InvalidParameterException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies that tell the two failures apart: input that ends early or does not decode is the
 * client's fault (400), a write that fails (a full data root) is the daemon's (500).
 */
final class StreamCopy {
    private StreamCopy() {
    }

    /** Copies all of {@code in} to {@code out}; a read failure is a 400, a write failure is thrown as is. */
    static long copy(InputStream in, OutputStream out, String what) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        while (true) {
            int n = read(in, buffer, what);
            if (n < 0) {
                return total;
            }
            out.write(buffer, 0, n);
            total += n;
        }
    }

    /** Reads what is left of {@code in}, discarding it; a read failure is a 400. */
    static void drain(InputStream in, String what) {
        byte[] buffer = new byte[1 << 16];
        while (read(in, buffer, what) >= 0) {
            // discard
        }
    }

    private static int read(InputStream in, byte[] buffer, String what) {
        try {
            return in.read(buffer);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidParameterException(what + ": unexpected EOF or corrupt input: " + e.getMessage(), e);
        }
    }

    /** A failure of the data root (a full disk, an I/O error) as a 500 naming what was being done. */
    static InternalException storage(String what, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (reason.contains("No space left on device")) {
            reason = "no space left on device";
        }
        return new InternalException(what + ": " + reason, e);
    }
}
