package dev.berth.core.service.sandbox;

/**
 * An inclusive range of ports, e.g. the kernel's {@code ip_local_port_range} that ephemeral host
 * ports come from.
 */
public record PortRange(int first, int last) {
    /** Docker's fallback when {@code /proc/sys/net/ipv4/ip_local_port_range} cannot be read. */
    public static final PortRange DOCKER_FALLBACK = new PortRange(49153, 65535);

    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("bad port range " + first + "-" + last);
        }
    }

    /** Parses {@code "32768\t60999"} (the proc file) or {@code "32768-60999"}. */
    public static PortRange parse(String text) {
        String[] parts = text.trim().split("[\\s-]+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a port range: " + text);
        }
        return new PortRange(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
}
