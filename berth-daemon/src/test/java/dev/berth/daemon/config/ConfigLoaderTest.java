package dev.berth.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.IpAddresses;
import dev.berth.core.service.network.BridgeIpam;
import dev.berth.core.service.network.NdpProxySetting;
import dev.berth.daemon.api.ApiListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private DaemonConfig load(String json, String... flags) throws IOException {
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, json);
        List<String> args = new ArrayList<>(List.of("--config-file", file.toString()));
        args.addAll(List.of(flags));
        return ConfigLoader.load(DaemonFlags.parse(args)).config();
    }

    private String error(String json, String... flags) {
        return assertThrows(ConfigException.class, () -> load(json, flags)).getMessage();
    }

    @Test
    void missingFileMeansDefaults() {
        DaemonConfig c = ConfigLoader.load(DaemonFlags.parse(List.of("--config-file", dir.resolve("none.json")
                .toString()))).config();
        assertEquals(List.of(new ApiListener.Unix(Path.of("/run/berth/berth.sock"))), c.hosts());
        assertEquals(Optional.empty(), c.tls());
        assertEquals(Path.of("/var/lib/berth"), c.dataRoot());
        assertEquals(Path.of("/run/berth"), c.execRoot());
        assertEquals("172.17.0.1/16", c.bridge().ipv4().bip().orElseThrow().toString());
        assertEquals(1500, c.bridge().mtu());
    }

    @Test
    void fileAndFlagsCombine() throws IOException {
        DaemonConfig c = load("{\n  \"bip\": \"10.55.0.1/24\",\n  \"mtu\": 1400,\n  \"log-driver\": \"json-file\"\n}",
                "-H", "unix:///tmp/x.sock", "--data-root=/tmp/d", "--log-format", "json", "-D");
        assertEquals("10.55.0.1/24", c.bridge().ipv4().bip().orElseThrow().toString());
        assertEquals(1400, c.bridge().mtu());
        assertEquals(Path.of("/tmp/x.sock"), c.socketPath());
        assertEquals(Path.of("/tmp/d"), c.dataRoot());
        assertEquals(new DaemonConfig.Logging("debug", "json"), c.logging());
    }

    @Test
    void socketGroupFromFlagOrFileDefaultsToDocker() throws IOException {
        assertEquals("docker", load("{}").group());
        assertEquals("berth", load("{}", "-G", "berth").group());
        assertEquals("wheel", load("{}", "--group=wheel").group());
        assertEquals("", load("{\"group\": \"\"}").group());
        assertTrue(error("{\"group\": 5}").contains("group must be a group name or id"));
        assertTrue(error("{\"group\": \"a\"}", "-G", "b").contains("group"));
    }

    /** {@code dns-neg-ttl}: whole seconds a negative answer without an SOA is kept, 0 to a day, 5 when unset. */
    @Test
    void dnsNegativeTtl() throws IOException {
        assertEquals(5, load("{}").dnsNegTtl());
        assertEquals(0, load("{\"dns-neg-ttl\": 0}").dnsNegTtl());
        assertEquals(60, load("{\"dns-neg-ttl\": \"60\"}").dnsNegTtl());
        assertEquals(86_400, load("{\"dns-neg-ttl\": 86400}").dnsNegTtl());
        assertEquals(ConfigKey.Reload.LIVE, ConfigKey.DNS_NEG_TTL.reload());
        assertEquals("invalid configuration file " + dir.resolve("daemon.json") + ": line 2: dns-neg-ttl must be 0"
                + " (keep no negative answer without an SOA) to 86400 seconds; got 86401",
                error("{\n  \"dns-neg-ttl\": 86401\n}"));
        assertTrue(error("{\"dns-neg-ttl\": -1}").contains("dns-neg-ttl must be"));
        assertTrue(error("{\"dns-neg-ttl\": \"5s\"}").contains("dns-neg-ttl must be a whole number"));
        assertTrue(error("{\"dns-neg-ttl\": true}").contains("dns-neg-ttl must be a whole number"));
    }

    /** dockerd's {@code metrics-addr}: HOST:PORT as Go's listener takes it, from the file or {@code --metrics-addr}. */
    @Test
    void metricsAddress() throws IOException {
        assertEquals(java.util.Optional.empty(), load("{}").metricsAddr());
        assertEquals(java.util.Optional.empty(), load("{\"metrics-addr\": \"\"}").metricsAddr(), "dockerd: none");
        assertEquals(new MetricsAddress("127.0.0.1", 9323), load("{\"metrics-addr\": \"127.0.0.1:9323\"}")
                .metricsAddr().orElseThrow());
        assertEquals(new MetricsAddress("::1", 9323), load("{}", "--metrics-addr", "[::1]:9323").metricsAddr().orElseThrow());
        assertEquals("[::1]:9323", load("{}", "--metrics-addr=[::1]:9323").metricsAddr().orElseThrow().toString());
        assertEquals(new MetricsAddress("", 9323), load("{}", "--metrics-addr", ":9323").metricsAddr().orElseThrow());
        assertEquals(new MetricsAddress("localhost", 0), load("{}", "--metrics-addr", "localhost:0").metricsAddr()
                .orElseThrow());
        assertEquals("127.0.0.1:9323", ConfigKey.METRICS_ADDR.value(load("{}", "--metrics-addr", "127.0.0.1:9323")));
        assertEquals(ConfigKey.Reload.RESTART, ConfigKey.METRICS_ADDR.reload());
    }

    @Test
    void aMalformedMetricsAddressStopsStartUpNamingIt() {
        assertEquals("invalid configuration file " + dir.resolve("daemon.json") + ": line 2: invalid metrics-addr"
                + " \"9323\": missing port in address (give HOST:PORT, e.g. 127.0.0.1:9323)",
                error("{\n  \"metrics-addr\": \"9323\"\n}"));
        assertEquals("invalid flag --metrics-addr: invalid metrics-addr \"127.0.0.1:99999\": invalid port \"99999\""
                + " (give HOST:PORT, e.g. 127.0.0.1:9323)", error("{}", "--metrics-addr", "127.0.0.1:99999"));
        assertTrue(error("{}", "--metrics-addr", "::1:9323").contains("too many colons in address"));
        assertTrue(error("{}", "--metrics-addr", "[::1:9323").contains("missing ']' in address"));
        assertTrue(error("{}", "--metrics-addr", "127.0.0.1:http").contains("invalid port \"http\""));
        assertTrue(error("{\"metrics-addr\": 9323}").contains("metrics-addr must be a string HOST:PORT"));
        assertTrue(error("{\"metrics-addr\": \"127.0.0.1:1\"}", "--metrics-addr", "127.0.0.1:2")
                .contains("specified both as a flag and in the configuration file: metrics-addr"));
    }

    @Test
    void dnsUpstreams() throws IOException {
        assertEquals(List.of("198.51.100.1", "2001:db8::1"),
                load("{\"dns\": [\"198.51.100.1\", \"2001:db8::1\"]}").dns());
        assertEquals(List.of(), load("{}").dns());
        assertTrue(error("{\"dns\": [\"nope\"]}").contains("dns must be a list of IP addresses"));
        assertTrue(error("{\"dns\": \"198.51.100.1\"}").contains("dns must be a list"));
    }

    @Test
    void ndpProxyIsAutoFalseOrExistingInterfaces() throws IOException {
        assertEquals(NdpProxySetting.AUTO, load("{}").ndpProxy());
        assertEquals(NdpProxySetting.AUTO, load("{\"ndp-proxy\": \"auto\"}").ndpProxy());
        assertEquals(NdpProxySetting.OFF, load("{\"ndp-proxy\": false}").ndpProxy());
        assertEquals(NdpProxySetting.only(List.of("lo")), load("{\"ndp-proxy\": [\"lo\"]}").ndpProxy(),
                "lo exists in every namespace");
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, "{\n  \"ndp-proxy\": [\"eth0\", \"eth1\"]\n}");
        DaemonFlags flags = DaemonFlags.parse(List.of("--config-file", file.toString()));
        assertEquals(NdpProxySetting.only(List.of("eth0", "eth1")),
                ConfigLoader.load(flags, name -> name.startsWith("eth")).config().ndpProxy());
        String missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(flags, "eth0"::equals)).getMessage();
        assertTrue(missing.contains("daemon.json: line 2: ndp-proxy: interface \"eth1\" does not exist"), missing);
        assertTrue(error("{\"ndp-proxy\": [\"nosuch-berth0\"]}").contains("interface \"nosuch-berth0\" does not exist"));
        assertTrue(error("{\"ndp-proxy\": true}").contains("ndp-proxy must be \"auto\", false or a list of interface names"));
        assertTrue(error("{\"ndp-proxy\": \"eth0\"}").contains("must be \"auto\", false or a list"));
        assertTrue(error("{\"ndp-proxy\": []}").contains("lists no interface; use false"));
        assertTrue(error("{\"ndp-proxy\": [\"lo\", \"lo\"]}").contains("\"lo\" is listed twice"));
        assertTrue(error("{\"ndp-proxy\": [\"\"]}").contains("must be \"auto\", false or a list"));
    }

    @Test
    void defaultNetworkOptsPerDriverCheckedAsTheBridgeDriverChecksThem() throws IOException {
        String mode6 = "com.docker.network.bridge.gateway_mode_ipv6";
        assertEquals(Map.of(), load("{}").defaultNetworkOpts());
        assertEquals(Map.of("bridge", Map.of(mode6, "routed", "com.docker.network.driver.mtu", "1400"),
                        "macvlan", Map.of("parent", "eth1")),
                load("{\"default-network-opts\": {\"bridge\": {\"" + mode6 + "\": \"routed\","
                        + " \"com.docker.network.driver.mtu\": \"1400\"}, \"macvlan\": {\"parent\": \"eth1\"}}}")
                        .defaultNetworkOpts());
        assertTrue(error("{\n \"default-network-opts\": {\"bridge\": {\"" + mode6 + "\": \"bogus\"}}}")
                .contains("line 2: default-network-opts of driver \"bridge\": failed to parse " + mode6
                        + " value: bogus (unknown gateway mode bogus)"));
        assertTrue(error("{\"default-network-opts\": {\"bridge\": {\"com.docker.network.driver.mtu\": 1400}}}")
                .contains("option \"com.docker.network.driver.mtu\" of driver \"bridge\" must be a string; got 1400"));
        assertTrue(error("{\"default-network-opts\": {\"bridge\": \"routed\"}}").contains("must map driver names"));
        assertTrue(error("{\"default-network-opts\": []}").contains("must map driver names"));
        Path file = dir.resolve("isolated.json");
        Files.writeString(file, "{\"default-network-opts\": {\"bridge\": {\"" + mode6 + "\": \"isolated\"}}}");
        ConfigLoader.Loaded loaded = ConfigLoader.load(DaemonFlags.parse(List.of("--config-file", file.toString())));
        assertEquals("isolated", loaded.config().defaultNetworkOpts().get("bridge").get(mode6));
        assertTrue(loaded.warnings().stream().anyMatch(w -> w.contains("applies to internal networks only")),
                loaded.warnings()::toString);
    }

    @Test
    void malformedJsonNamesFileLineAndReason() {
        String message = error("{\n  \"mtu\": 1400,\n  \"bip\": oops\n}");
        assertTrue(message.contains(dir.resolve("daemon.json").toString()), message);
        assertTrue(message.contains("line 3"), message);
        assertTrue(message.contains("oops"), message);
    }

    @Test
    void badValuesNameTheirLine() {
        assertTrue(error("{\n\n  \"mtu\": 10\n}").contains("line 3: mtu must be between 68 and 65535"));
        assertTrue(error("{\"bip\": \"172.17.0.0/16\"}").contains("bridge's own address"));
        assertTrue(error("{\"bip\": \"nonsense\"}").contains("invalid CIDR address: nonsense"));
        assertTrue(error("{\"icc\": \"maybe\"}").contains("icc must be true or false"));
        assertTrue(error("{\"hosts\": [\"tcp://0.0.0.0:2375\"]}").contains("refusing to listen on tcp://0.0.0.0:2375 without TLS"));
        assertTrue(error("{\"hosts\": [\"unix://relative.sock\"]}").contains("the socket must be an absolute path"));
        assertTrue(error("{\"log-level\": \"loud\"}").contains("unknown log level"));
        assertTrue(error("[1]").contains("must be a JSON object"));
    }

    @Test
    void unknownOptionsAndDuplicatesStopStartUp() {
        assertTrue(error("{\n \"frobnicate\": 1\n}").contains("line 2: unknown option \"frobnicate\""));
        assertTrue(error("{\"mtu\": 1400}", "--mtu", "1300").contains("both as a flag and in the configuration file: mtu"));
        assertTrue(error("{\"mtu\": 1400, \"mtu\": 1300}").contains("given twice"));
        assertEquals("unknown flag: --frob\nSee 'berthd --help'.",
                assertThrows(ConfigException.class, () -> DaemonFlags.parse(List.of("--frob"))).getMessage());
        assertEquals("flag needs an argument: -H",
                assertThrows(ConfigException.class, () -> DaemonFlags.parse(List.of("-H"))).getMessage());
    }

    @Test
    void defaultAddressPoolsReplaceDockersAndGiveTheBridgeItsFirstSubnet() throws IOException {
        DaemonConfig c = load("{\"default-address-pools\": [{\"base\": \"175.30.0.0/16\", \"size\": 24},"
                + " {\"base\": \"fd12:3456::/48\", \"size\": 64}]}");
        assertEquals(2, c.addressPools().size());
        assertEquals("175.30.0.1/24", c.bridge().ipv4().bip().orElseThrow().toString());
        assertTrue(error("{\n\"default-address-pools\": [{\"base\": \"10.0.0.1/16\", \"size\": 24}]}")
                .contains("line 2: invalid base pool 10.0.0.1/16"));
        assertTrue(error("{\"default-address-pools\": [{\"base\": \"10.0.0.0/16\"}]}")
                .contains("must be {\"base\": CIDR, \"size\": N}"));
    }

    @Test
    void defaultBridgeIpv6KeysFromFileOrFlags() throws IOException {
        DaemonConfig off = load("{}");
        assertTrue(off.bridge().ipv6().isEmpty());
        assertEquals("172.17.0.1/16", off.bridge().ipv4().bip().orElseThrow().toString());

        DaemonConfig auto = load("{\"ipv6\": true}");
        assertEquals(java.util.Optional.of(BridgeIpam.automatic()), auto.bridge().ipv6());

        DaemonConfig file = load("{\"ipv6\": true, \"fixed-cidr-v6\": \"2001:db8:1::/80\", \"bip6\": \"2001:db8:1::1/64\","
                + " \"default-gateway-v6\": \"2001:db8:1::fe\", \"fixed-cidr\": \"172.17.5.0/24\","
                + " \"default-gateway\": \"172.17.5.254\"}");
        BridgeIpam v6 = file.bridge().ipv6().orElseThrow();
        assertEquals("2001:db8:1::1/64", v6.bip().orElseThrow().toString());
        assertEquals("2001:db8:1::/80", v6.fixedCidr().orElseThrow().toString());
        assertEquals("2001:db8:1::fe", IpAddresses.format(v6.defaultGateway().orElseThrow()));
        BridgeIpam v4 = file.bridge().ipv4();
        assertTrue(v4.bip().isEmpty(), "fixed-cidr without bip is the subnet, as on a fresh Docker host");
        assertEquals("172.17.5.0/24", v4.subnet().orElseThrow().toString());
        assertEquals("172.17.5.254", v4.defaultGateway().orElseThrow().getHostAddress());

        DaemonConfig flags = load("{}", "--ipv6", "--fixed-cidr-v6", "fd00:1::/64", "--fixed-cidr=10.20.0.0/24",
                "--default-gateway", "10.20.0.254", "--bip6=fd00:1::1/64", "--default-gateway-v6", "fd00:1::fe");
        assertEquals("fd00:1::/64", flags.bridge().ipv6().orElseThrow().fixedCidr().orElseThrow().toString());
        assertTrue(flags.bridge().ipv4().bip().isEmpty(), "fixed-cidr alone is the subnet");
        assertEquals("10.20.0.0/24", flags.bridge().ipv4().subnet().orElseThrow().toString());
        assertTrue(load("{}", "--ipv6=false").bridge().ipv6().isEmpty());
    }

    @Test
    void badDefaultBridgeValuesNameTheirOptionAndLine() {
        assertEquals("invalid configuration file " + dir.resolve("daemon.json") + ": line 3: invalid fixed-cidr-v6: "
                + "multicast subnet 'ff02::/64' is not allowed",
                error("{\n  \"ipv6\": true,\n  \"fixed-cidr-v6\": \"ff02::/64\"\n}"));
        assertEquals("invalid flag --fixed-cidr-v6: invalid fixed-cidr-v6: '10.0.0.0/8' is not a valid IPv6 subnet",
                error("{}", "--ipv6", "--fixed-cidr-v6", "10.0.0.0/8"));
        assertEquals("invalid flag --fixed-cidr-v6: invalid fixed-cidr-v6: 'fe80::/80' clashes with the Link-Local "
                + "prefix 'fe80::/64'", error("{}", "--fixed-cidr-v6", "fe80::/80"));
        assertTrue(error("{\"fixed-cidr-v6\": \"nonsense\"}")
                .endsWith("line 1: invalid fixed-cidr-v6: invalid CIDR address: nonsense"));
        assertTrue(error("{\"ipv6\": \"yes\"}").contains("ipv6 must be true or false"));
        assertTrue(error("{\n\"ipv6\": true,\n\"bip6\": \"fd00:1::1/64\",\n\"fixed-cidr-v6\": \"fd00:2::/64\"}")
                .endsWith("line 4: fixed-cidr-v6=fd00:2::/64 is outside the subnet fd00:1::/64 of bip6 fd00:1::1/64: "
                        + "the allocatable range must lie inside the subnet"));
        assertTrue(error("{\n\"bip6\": \"fd00:1::1/64\",\n\"default-gateway-v6\": \"fd00:9::1\"}")
                .endsWith("line 3: default gateway ip must be part of the network: default-gateway-v6 fd00:9::1 is "
                        + "outside fd00:1::/64"));
        assertEquals("invalid flag --default-gateway: default gateway ip must be part of the network: default-gateway "
                + "10.9.9.9 is outside 172.17.0.0/16", error("{}", "--default-gateway", "10.9.9.9"));
        assertEquals("invalid flag --default-gateway: invalid default-gateway: invalid IP address: x",
                error("{}", "--default-gateway", "x"));
        assertEquals("invalid flag --bip6: bip6 fd00::1/127 leaves no address for sandboxes",
                error("{}", "--ipv6", "--bip6", "fd00::1/127"));
        assertTrue(error("{\"fixed-cidr\": \"10.0.0.1/32\"}").endsWith("fixed-cidr 10.0.0.1/32 leaves no address for sandboxes"));
        assertTrue(error("{\"bip6\": \"\"}").contains("bip6 must be a non-empty string"));
        assertTrue(error("{\"ipv6\": true}", "--ipv6").contains("both as a flag and in the configuration file: ipv6"));
    }

    @Test
    void anMtuBelow1280WithIpv6OnTheDefaultBridgeStopsStartUpNamingMtu() throws IOException {
        assertEquals("invalid configuration file " + dir.resolve("daemon.json") + ": line 3: mtu 1200 is below 1280, the"
                + " least IPv6 needs, and \"ipv6\" is on for the default bridge (give an mtu of at least 1280 or turn"
                + " ipv6 off)", error("{\n  \"ipv6\": true,\n  \"mtu\": 1200\n}"));
        assertTrue(error("{}", "--ipv6", "--mtu", "1279").startsWith("invalid flag --mtu: mtu 1279 is below 1280"));
        assertEquals(1280, load("{\"ipv6\": true, \"mtu\": 1280}").bridge().mtu());
        assertEquals(1200, load("{\"mtu\": 1200}").bridge().mtu(), "without IPv6 any mtu from 68 up");
    }

    @Test
    void ipv6ValuesWithoutIpv6AreCheckedAndUnusedWithAWarning() throws IOException {
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, "{\"fixed-cidr-v6\": \"fd00:1::/64\", \"bip6\": \"fd00:1::1/64\"}");
        ConfigLoader.Loaded loaded = ConfigLoader.load(DaemonFlags.parse(List.of("--config-file", file.toString())));
        assertTrue(loaded.config().bridge().ipv6().isEmpty());
        assertEquals(List.of("bip6, fixed-cidr-v6 have no effect: IPv6 is not enabled on the default bridge "
                + "(set \"ipv6\": true)"), loaded.warnings());
    }

    @Test
    void helpListsTheDefaultBridgeOptions() {
        for (String flag : List.of("--ipv6", "--bip6 string", "--fixed-cidr string", "--fixed-cidr-v6 string",
                "--default-gateway ip", "--default-gateway-v6 ip")) {
            assertTrue(DaemonFlags.USAGE.contains("      " + flag + " "), flag);
        }
    }
}
