package dev.berth.daemon.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.service.sandbox.PortRange;
import dev.berth.kernel.sysctl.Sysctls;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostFactsTest {
    @Test
    void theEphemeralPortRangeIsTheKernelsWholeValue() throws IOException {
        assertEquals(PortRange.parse(firstLine("/proc/sys/net/ipv4/ip_local_port_range")), HostFacts.ephemeralPorts());
    }

    @Test
    void theApiBacklogIsTheKernelsSomaxconn() throws IOException {
        int backlog = HostFacts.acceptQueue(Sysctls.KERNEL);
        assertEquals(Integer.parseInt(firstLine("/proc/sys/net/core/somaxconn").strip()), backlog);
        assertTrue(backlog > 50, "read from /proc, not Java's default of 50: " + backlog);
    }

    /** Line by line: the way that reads a whole procfs sysctl file on JDK 25. */
    private static String firstLine(String file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(Path.of(file))) {
            return reader.readLine();
        }
    }
}
