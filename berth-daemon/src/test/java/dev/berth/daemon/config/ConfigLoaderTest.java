package dev.berth.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        assertEquals("unix:///run/berth/berth.sock", c.host());
        assertEquals(Path.of("/var/lib/berth"), c.dataRoot());
        assertEquals(Path.of("/run/berth"), c.execRoot());
        assertEquals("172.17.0.1/16", c.bridge().bip().toString());
        assertEquals(1500, c.bridge().mtu());
    }

    @Test
    void fileAndFlagsCombine() throws IOException {
        DaemonConfig c = load("{\n  \"bip\": \"10.55.0.1/24\",\n  \"mtu\": 1400,\n  \"log-driver\": \"json-file\"\n}",
                "-H", "unix:///tmp/x.sock", "--data-root=/tmp/d", "--log-format", "json", "-D");
        assertEquals("10.55.0.1/24", c.bridge().bip().toString());
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

    @Test
    void dnsUpstreams() throws IOException {
        assertEquals(List.of("198.51.100.1", "2001:db8::1"),
                load("{\"dns\": [\"198.51.100.1\", \"2001:db8::1\"]}").dns());
        assertEquals(List.of(), load("{}").dns());
        assertTrue(error("{\"dns\": [\"nope\"]}").contains("dns must be a list of IP addresses"));
        assertTrue(error("{\"dns\": \"198.51.100.1\"}").contains("dns must be a list"));
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
        assertTrue(error("{\"hosts\": [\"tcp://0.0.0.0:2375\"]}").contains("only unix:///absolute/path"));
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
        assertEquals("175.30.0.1/24", c.bridge().bip().toString());
        assertTrue(error("{\n\"default-address-pools\": [{\"base\": \"10.0.0.1/16\", \"size\": 24}]}")
                .contains("line 2: invalid base pool 10.0.0.1/16"));
        assertTrue(error("{\"default-address-pools\": [{\"base\": \"10.0.0.0/16\"}]}")
                .contains("must be {\"base\": CIDR, \"size\": N}"));
    }
}
