package dev.berth.daemon.api;

import dev.berth.daemon.process.ContainerIo;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The stdin direction of a hijacked session, on a virtual thread of its own. */
final class Pumps {
    private static final Logger LOG = LoggerFactory.getLogger(Pumps.class);

    private Pumps() {
    }

    /**
     * Copies the client's bytes to the process until the client half-closes (or the connection
     * ends); then the process's stdin is closed if {@code closeAtEof}. Output is not touched.
     */
    static Thread input(ContainerIo.Attached attached, InputStream stdin, boolean closeAtEof) {
        return Thread.ofVirtual().name("berth-stdin").start(() -> {
            try {
                attached.input(stdin, closeAtEof);
            } catch (IOException | RuntimeException e) {
                LOG.debug("stdin ended: {}", e.toString());
            }
        });
    }
}
