package dev.berth.it.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Request bodies for the Engine API routes: a plausible body of the route's shape with one or
 * more fields given wrong types, odd values, invalid UTF-8 or absurd sizes, plus bodies that are
 * not that shape at all (deep nesting, bare scalars, random bytes). Built as text, not through a
 * JSON library, so that invalid documents can be produced too.
 */
final class JsonBodies {
    private static final String[] WEIRD = {"null", "true", "false", "0", "-1", "1e309", "3.5", "\"\"", "[]", "{}",
        "[null]", "{\"\":null}", "\"\\u0000\"", "\"\\ud800\"", "9223372036854775808", "\"x\"", "[1,2,3]", "{\"a\":1}"};
    private static final String[] NAMES = {"n", "eth0", "lo", "docker0", "bridge", "host", "none", "all", "default",
        "a%d", "b\\ud800", "*", "br-0123456789abcdef", "abcdefghijklmnop", "-x", ".", "..", "a/b", "a b", "ü", "\\u0000",
        "fz-net", "x".repeat(300)};
    private static final String[] SUBNETS = {"10.200.0.0/24", "172.30.0.0/16", "::1/128", "ff00::/8", "fd00:dead::/64",
        "0.0.0.0/0", "10.0.0.0/33", "10.0.0.1/24", "256.0.0.0/8", "fe80::/64", "1.2.3.4", "", "x/24", "10.0.0.0/-1",
        "fd00::/129", "192.0.2.0/31", "192.0.2.0/32", "2001:db8::/127"};
    private static final String[] ADDRESSES = {"10.200.0.5", "10.200.0.1", "172.18.0.77", "::1", "fd00:dead::5",
        "0.0.0.0", "255.255.255.255", "1.2.3", "fe80::1", "x", "", "10.200.0.0", "999.1.1.1", "::ffff:10.0.0.1"};
    private static final String[] MTUS = {"1500", "1500 ", "68", "67", "1280", "1279", "65536", "-1", "0", "abc",
        "99999999999999999999", " 1500", "0x5dc", "9000"};
    private static final String[] OPTION_KEYS = {"com.docker.network.bridge.name", "com.docker.network.driver.mtu",
        "com.docker.network.bridge.enable_icc", "com.docker.network.bridge.enable_ip_masquerade",
        "com.docker.network.bridge.host_binding_ipv4", "com.docker.network.bridge.default_bridge",
        "com.docker.network.container_iface_prefix", "com.docker.network.enable_ipv6", "unknown.option", ""};

    private final SplittableRandom random;
    private Targets targets;

    JsonBodies(SplittableRandom random, Targets targets) {
        this.random = random;
        this.targets = targets;
    }

    /** Aims later bodies at new targets (after the fixture objects were re-created). */
    void retarget(Targets next) {
        this.targets = next;
    }

    /** A body for the route, usually of its shape with faults, sometimes not JSON at all. */
    byte[] body(String template) {
        int roll = random.nextInt(100);
        if (roll < 6) {
            return deepNesting();
        }
        if (roll < 10) {
            return WEIRD[random.nextInt(WEIRD.length)].getBytes(StandardCharsets.UTF_8);
        }
        if (roll < 14) {
            byte[] noise = new byte[random.nextInt(0, 300)];
            random.nextBytes(noise);
            return noise;
        }
        String json = switch (template) {
            case "POST /networks/create" -> networkCreate();
            case "POST /networks/{id}/connect" -> connect();
            case "POST /networks/{id}/disconnect" -> obj("Container", str(container()), "Force", bool());
            case "POST /containers/create" -> containerCreate();
            default -> obj("Name", str(pick(NAMES)), "Value", any());
        };
        return corrupt(json);
    }

    private String networkCreate() {
        if (random.nextBoolean()) {
            return plausibleCreate();
        }
        String ipam = obj("Driver", random.nextInt(10) == 0 ? any() : str("default"),
                "Config", "[" + obj("Subnet", str(pick(SUBNETS)), "IPRange", maybe(str(pick(SUBNETS))),
                        "Gateway", maybe(str(pick(ADDRESSES))),
                        "AuxiliaryAddresses", maybe(obj("h", str(pick(ADDRESSES))))) + "]",
                "Options", maybe(obj("a", any())));
        String options = obj(pick(OPTION_KEYS), str(option()), pick(OPTION_KEYS), str(option()));
        return obj("Name", str(pick(NAMES) + (random.nextBoolean() ? "" : Integer.toString(random.nextInt(1000)))),
                "Driver", maybe(str(random.nextInt(4) == 0 ? pick(NAMES) : "bridge")),
                "Internal", bool(), "Attachable", bool(), "EnableIPv6", bool(), "EnableIPv4", bool(),
                "IPAM", random.nextInt(3) == 0 ? any() : ipam,
                "Options", random.nextInt(4) == 0 ? any() : options,
                "Labels", random.nextInt(4) == 0 ? any() : obj(pick(NAMES), str(pick(NAMES))),
                "CheckDuplicate", bool(), "ConfigFrom", maybe(obj("Network", str(pick(NAMES)))));
    }

    /**
     * A create that passes the JSON checks and gets as far as the driver and the kernel: a fresh
     * name, a free subnet, and one odd value (a subnet, a bridge name, an MTU, another option).
     */
    private String plausibleCreate() {
        String subnet = random.nextInt(4) == 0 ? pick(SUBNETS)
                : "10." + random.nextInt(200, 250) + "." + random.nextInt(256) + ".0/24";
        StringBuilder b = new StringBuilder("{\"Name\":\"fzn").append(Long.toHexString(random.nextLong()))
                .append("\",\"Driver\":\"bridge\",\"EnableIPv6\":").append(random.nextBoolean())
                .append(",\"IPAM\":{\"Config\":[{\"Subnet\":").append(str(subnet)).append("}]}");
        if (random.nextInt(4) > 0) {
            b.append(",\"Options\":{").append(str(pick(OPTION_KEYS))).append(':').append(str(option())).append('}');
        }
        return b.append('}').toString();
    }

    private String option() {
        return switch (random.nextInt(3)) {
            case 0 -> pick(MTUS);
            case 1 -> pick(NAMES);
            default -> random.nextBoolean() ? "true" : pick(ADDRESSES);
        };
    }

    private String connect() {
        String endpoint = obj("IPAMConfig", maybe(obj("IPv4Address", str(pick(ADDRESSES)),
                        "IPv6Address", maybe(str(pick(ADDRESSES))), "LinkLocalIPs", maybe("[" + str(pick(ADDRESSES)) + "]"))),
                "Aliases", maybe("[" + str(pick(NAMES)) + "," + any() + "]"),
                "MacAddress", maybe(str(random.nextBoolean() ? "02:42:ac:11:00:99" : pick(NAMES))),
                "DriverOpts", maybe(obj(pick(OPTION_KEYS), any())));
        return obj("Container", str(container()), "EndpointConfig", random.nextInt(5) == 0 ? any() : endpoint);
    }

    private String containerCreate() {
        String ports = obj(pick(new String[] {"80/tcp", "53/udp", "80", "0/tcp", "70000/tcp", "x/sctp", "80/tcp/x"}),
                "[" + obj("HostIp", str(pick(ADDRESSES)), "HostPort", str(pick(new String[] {"8080", "0", "", "-1",
                    "65536", "80-81", "x"}))) + "]");
        String host = obj("NetworkMode", str(random.nextBoolean() ? targets.networkName() : pick(NAMES)),
                "PortBindings", random.nextInt(4) == 0 ? any() : ports, "Dns", maybe("[" + str(pick(ADDRESSES)) + "]"));
        return obj("Image", str("busybox"), "Hostname", maybe(str(pick(NAMES))), "Domainname", maybe(str(pick(NAMES))),
                "HostConfig", random.nextInt(4) == 0 ? any() : host,
                "ExposedPorts", maybe(obj("80/tcp", "{}")),
                "NetworkingConfig", maybe(obj("EndpointsConfig", obj(targets.networkName(),
                        obj("IPAMConfig", obj("IPv4Address", str(pick(ADDRESSES)))), pick(NAMES), any()))));
    }

    private String container() {
        return switch (random.nextInt(5)) {
            case 0 -> targets.containerId();
            case 1 -> targets.containerId().substring(0, 12);
            case 2 -> targets.containerName();
            case 3 -> pick(NAMES);
            default -> "";
        };
    }

    /** Faults applied to a plausible document: none (rarely), cut, invalid UTF-8, byte flips, huge. */
    private byte[] corrupt(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(12)) {
            case 0 -> java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            case 1 -> {
                byte[] out = bytes.clone();
                for (int i = random.nextInt(1, 4); i > 0 && out.length > 0; i--) {
                    out[random.nextInt(out.length)] = (byte) pick(new int[] {0xc0, 0xff, 0xed, 0xa0, 0x80, 0xfe, 0});
                }
                yield out;
            }
            case 2 -> {
                byte[] out = bytes.clone();
                for (int i = random.nextInt(1, 4); i > 0 && out.length > 0; i--) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
                yield out;
            }
            case 3 -> random.nextInt(50) == 0
                    ? json.replace("\"Name\":\"", "\"Name\":\"" + "n".repeat(random.nextInt(100_000, 1_000_000)))
                        .getBytes(StandardCharsets.UTF_8)
                    : (json + json).getBytes(StandardCharsets.UTF_8);
            default -> bytes;
        };
    }

    /** Arrays or objects nested far beyond any sane limit, sometimes unterminated. */
    private byte[] deepNesting() {
        int depth = random.nextBoolean() ? random.nextInt(900, 1100) : random.nextInt(5_000, 60_000);
        boolean arrays = random.nextBoolean();
        StringBuilder b = new StringBuilder(depth * 8);
        b.append(arrays ? "" : "{\"Name\":\"deep\",\"Options\":");
        b.append((arrays ? "[" : "{\"a\":").repeat(depth)).append("1");
        if (random.nextInt(3) > 0) {
            b.append((arrays ? "]" : "}").repeat(depth));
            if (!arrays) {
                b.append('}');
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An object; odd arguments are keys, even ones raw JSON values ({@code null} omits the member). */
    private String obj(String... pairs) {
        List<String> members = new ArrayList<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                members.add(str(pairs[i]) + ":" + (random.nextInt(25) == 0 ? any() : pairs[i + 1]));
            }
        }
        if (random.nextInt(20) == 0 && !members.isEmpty()) {
            members.add(members.getFirst()); // a duplicate key
        }
        return "{" + String.join(",", members) + "}";
    }

    private String any() {
        return pick(WEIRD);
    }

    private String maybe(String value) {
        return random.nextInt(3) == 0 ? null : value;
    }

    private String bool() {
        return random.nextInt(8) == 0 ? any() : Boolean.toString(random.nextBoolean());
    }

    private static String str(String text) {
        return "\"" + text.replace("\"", "\\\"") + "\"";
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private int pick(int[] values) {
        return values[random.nextInt(values.length)];
    }
}
