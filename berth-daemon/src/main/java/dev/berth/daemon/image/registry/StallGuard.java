package dev.berth.daemon.image.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A response body that fails instead of hanging when the registry stops sending: a virtual thread
 * watches the stream and closes it once no byte has arrived for {@code limit}, so the blocked read
 * ends with an error ({@code java.net.http} has no read timeout for bodies).
 */
final class StallGuard extends FilterInputStream {
    private final Duration limit;
    private final String what;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean closed;
    private volatile boolean stalled;

    private StallGuard(InputStream in, Duration limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    static StallGuard watch(InputStream in, Duration limit, String what) {
        StallGuard guard = new StallGuard(in, limit, what);
        Thread.ofVirtual().name("registry-stall-guard").start(guard::watch);
        return guard;
    }

    private void watch() {
        long step = Math.max(1, Math.min(1000, limit.toMillis() / 4));
        while (!closed) {
            try {
                Thread.sleep(step);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed && System.nanoTime() - lastProgress > limit.toNanos()) {
                stalled = true;
                try {
                    in.close();
                } catch (IOException ignored) {
                    // the reader sees the failure
                }
                return;
            }
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
        try {
            int n = in.read(buffer, offset, length);
            lastProgress = System.nanoTime();
            if (stalled) {
                throw stall(null);
            }
            return n;
        } catch (IOException e) {
            throw stalled ? stall(e) : e;
        }
    }

    private IOException stall(IOException cause) {
        return new IOException(what + ": the registry sent nothing for " + limit.toSeconds() + " s", cause);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        super.close();
    }
}
