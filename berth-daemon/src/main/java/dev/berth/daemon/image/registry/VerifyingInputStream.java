package dev.berth.daemon.image.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A blob as it arrives, checked against its descriptor while it streams: more bytes than the size
 * fail at once, and at the end of the stream the count must equal the size and the sha256 of what
 * arrived must equal the digest. A failure is a {@link VerificationException}, thrown by the read
 * that reaches the end (or the excess); so a consumer that keeps what it read only after reading to
 * the end (-1) never keeps a blob that does not match.
 */
public final class VerifyingInputStream extends FilterInputStream {

    /** A blob whose bytes do not match its descriptor (digest, or size: too long or truncated). */
    public static final class VerificationException extends IOException {
        private static final long serialVersionUID = 1L;

        VerificationException(String message) {
            super(message);
        }
    }

    private final String digest;
    private final long size;
    private final String failure;
    private final MessageDigest sha256;
    private long count;
    private boolean verified;
    private VerificationException failed;

    /**
     * @param in      the raw bytes
     * @param digest  {@code sha256:<hex>} they must hash to
     * @param size    their length, or -1 when unknown (then only the digest is checked)
     * @param failure what a mismatch says before the digest, in moby's words:
     *                {@code filesystem layer verification failed for digest}
     */
    public VerifyingInputStream(InputStream in, String digest, long size, String failure) {
        super(in);
        if (!digest.startsWith("sha256:")) {
            throw new IllegalArgumentException("unsupported digest algorithm: " + digest);
        }
        this.digest = digest;
        this.size = size;
        this.failure = failure;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sha256:<hex>} of the bytes. */
    public static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            finish();
            return -1;
        }
        sha256.update(buffer, offset, n);
        count += n;
        if (size >= 0 && count > size) {
            throw new VerificationException(failure + " " + digest + ": more than the " + size
                    + " bytes its descriptor gives");
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("a verified blob is read whole, not skipped");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    /** True once the end was reached and everything matched. */
    public boolean verified() {
        return verified;
    }

    private void finish() throws VerificationException {
        if (verified) {
            return;
        }
        if (failed == null) {
            String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
            if (size >= 0 && count != size) {
                failed = new VerificationException(failure + " " + digest + ": " + count + " of " + size
                        + " bytes arrived (truncated)");
            } else if (!actual.equals(digest)) {
                failed = new VerificationException(failure + " " + digest);
            } else {
                verified = true;
                return;
            }
        }
        throw failed;
    }
}
