package dev.berth.cli.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A {@code Transfer-Encoding: chunked} body decoded on the fly: each read returns data of the
 * current chunk as soon as it is on the wire, so a stream of events is seen event by event.
 */
final class ChunkedBody extends InputStream {

    private final ResponseReader reader;
    private long remaining;
    private boolean done;

    ChunkedBody(ResponseReader reader) {
        this.reader = reader;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (remaining == 0 && !done) {
            remaining = reader.chunkSize();
            done = remaining == 0;
        }
        if (done) {
            return -1;
        }
        int n = reader.chunkData(buffer, offset, (int) Math.min(length, remaining));
        remaining -= n;
        if (remaining == 0) {
            reader.chunkEnd();
        }
        return n;
    }
}
