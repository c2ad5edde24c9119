package dev.berth.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.berth.daemon.api.TestCerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reload compares, applies and refuses: {@link ConfigDiff} per option, which options are
 * applied live ({@link DaemonConfig#reloaded} agrees with {@link ConfigKey} for every option), which
 * step runs for which change, the restart-only options kept, and an invalid file or a refusing step
 * that changes nothing.
 */
class ConfigReloadTest {
    @TempDir
    Path dir;

    /** Every option given a value different from the defaults. */
    private static final String EVERYTHING = """
            {"hosts": ["unix:///tmp/other.sock", "tcp://127.0.0.1:2376"], "tlsverify": true, "tlscacert": "CERTS/ca.pem",
             "tlscert": "CERTS/cert.pem", "tlskey": "CERTS/key.pem", "group": "wheel", "data-root": "/tmp/d2", "exec-root": "/tmp/e2",
             "debug": true, "log-level": "warn", "log-format": "json", "bip": "10.9.0.1/16", "fixed-cidr": "10.9.1.0/24",
             "default-gateway": "10.9.0.254", "mtu": 1400, "ip": "127.0.0.1",
             "default-address-pools": [{"base": "10.20.0.0/16", "size": 24}], "ipv6": true,
             "bip6": "fd00:9::1/64", "fixed-cidr-v6": "fd00:9::/80", "default-gateway-v6": "fd00:9::fe",
             "icc": false, "ip-masq": false, "dns": ["198.51.100.53"], "dns-cache": false, "dns-neg-ttl": 0,
             "default-network-opts": {"bridge": {"com.docker.network.bridge.gateway_mode_ipv6": "routed"}},
             "ndp-proxy": false, "metrics-addr": "127.0.0.1:9323", "cluster-store": "etcd://198.51.100.9:2379",
             "cluster-advertise": "198.51.100.2", "cluster-store-opts": {"discovery.ttl": "20"}}
            """;

    private final List<String> ran = new ArrayList<>();
    private final List<Map<String, String>> announced = new ArrayList<>();

    private Path file() {
        return dir.resolve("daemon.json");
    }

    private DaemonFlags flags(String... extra) {
        List<String> args = new ArrayList<>(List.of("--config-file", file().toString()));
        args.addAll(List.of(extra));
        return DaemonFlags.parse(args);
    }

    private DaemonConfig load(String json, String... extra) throws IOException {
        Files.writeString(file(), json);
        return ConfigLoader.load(flags(extra)).config();
    }

    private ConfigReload reload(DaemonConfig running, RuntimeException bridgeRefuses, String... extra) {
        return new ConfigReload(flags(extra), running, List.of(
                new ConfigReload.Step("default bridge", EnumSet.of(ConfigKey.IPV6, ConfigKey.BIP6,
                        ConfigKey.FIXED_CIDR_V6, ConfigKey.DEFAULT_GATEWAY_V6, ConfigKey.ICC, ConfigKey.IP_MASQ,
                        ConfigKey.DEFAULT_NETWORK_OPTS), c -> {
                    if (bridgeRefuses != null) {
                        throw bridgeRefuses;
                    }
                    ran.add("bridge ipv6=" + c.bridge().ipv6().isPresent() + " icc=" + c.bridge().icc());
                    return "2 endpoints re-addressed";
                }),
                new ConfigReload.Step("NDP proxy", EnumSet.of(ConfigKey.NDP_PROXY), c -> {
                    ran.add("ndp-proxy " + c.ndpProxy());
                    return "";
                }),
                new ConfigReload.Step("embedded DNS", EnumSet.of(ConfigKey.DNS, ConfigKey.DNS_CACHE,
                        ConfigKey.DNS_NEG_TTL), c -> {
                    ran.add("dns " + c.dns());
                    return "";
                }),
                new ConfigReload.Step("logging", EnumSet.of(ConfigKey.DEBUG, ConfigKey.LOG_LEVEL, ConfigKey.LOG_FORMAT),
                        c -> {
                            ran.add("logging " + c.logging());
                            return "";
                        })),
                announced::add);
    }

    /** Writes daemon.json and reloads it. */
    private ConfigReload.Outcome reloadWith(ConfigReload reload, String json) throws IOException {
        Files.writeString(file(), json);
        return reload.reload();
    }

    @Test
    void reloadedTakesExactlyTheLiveOptionsFromTheFile() throws Exception {
        assumeTrue(TestCerts.available(), "no openssl");
        Path certs = TestCerts.make(dir.resolve("certs")).dir();
        DaemonConfig running = load("{}");
        DaemonConfig loaded = load(EVERYTHING.replace("CERTS", certs.toString()));
        DaemonConfig inForce = running.reloaded(loaded);
        for (ConfigKey key : ConfigKey.values()) {
            assertFalse(key.value(running).equals(key.value(loaded)), key + " is not exercised by the test");
            String expected = key.reload() == ConfigKey.Reload.LIVE ? key.value(loaded) : key.value(running);
            assertEquals(expected, key.value(inForce), key.key());
        }
        assertEquals(ConfigLoader.KNOWN, Set.copyOf(java.util.Arrays.stream(ConfigKey.values()).map(ConfigKey::key)
                .toList()));
    }

    @Test
    void theDiffNamesEachChangedOptionWithItsOldAndNewValueLiveOnesFirst() throws IOException {
        ConfigDiff diff = ConfigDiff.of(load("{}"), load("{\"mtu\": 1400, \"ipv6\": true, \"fixed-cidr-v6\": "
                + "\"2001:db8:1::/80\", \"dns\": [\"198.51.100.1\"]}"));
        assertEquals(List.of(ConfigKey.IPV6, ConfigKey.FIXED_CIDR_V6, ConfigKey.DNS), diff.live());
        assertEquals(List.of(ConfigKey.MTU), diff.restart());
        assertEquals(List.of("ipv6: false -> true", "fixed-cidr-v6: (unset) -> 2001:db8:1::/80",
                "dns: [] -> [\"198.51.100.1\"]", "mtu: 1500 -> 1400"), diff.lines());
        assertTrue(ConfigDiff.of(load("{}"), load("{\"live-restore\": true}")).isEmpty(), "ignored options are no change");
    }

    @Test
    void onlyTheStepsOfChangedOptionsRunAndRestartOptionsKeepTheirRunningValue() throws IOException {
        ConfigReload reload = reload(load("{}"), null);
        ConfigReload.Outcome outcome = reloadWith(reload, "{\"ipv6\": true, \"mtu\": 1400}");
        assertEquals(List.of("bridge ipv6=true icc=true"), ran);
        assertTrue(outcome.applied());
        assertEquals("Reloaded configuration: ipv6: false -> true (default bridge: 2 endpoints re-addressed)",
                outcome.line());
        assertEquals(1500, reload.running().bridge().mtu(), "mtu needs a restart");
        assertTrue(reload.running().bridge().ipv6().isPresent());
        assertEquals(1, announced.size());
        assertEquals("true", announced.getFirst().get("ipv6"));
        assertEquals("[]", announced.getFirst().get("dns"));
        assertFalse(announced.getFirst().containsKey("mtu"), "the event shows the reloadable options, as dockerd's");

        ran.clear();
        outcome = reloadWith(reload, "{\"ipv6\": true, \"mtu\": 1400, \"dns\": [\"198.51.100.1\"], \"debug\": true}");
        assertEquals(List.of("dns [198.51.100.1]", "logging Logging[level=debug, format=text]"), ran);
        assertEquals(List.of(ConfigKey.MTU), outcome.diff().restart(), "still differs from the running value");
    }

    @Test
    void anInvalidFileOrARefusedStepChangesNothing() throws IOException {
        DaemonConfig running = load("{}");
        ConfigReload reload = reload(running, null);
        ConfigReload.Outcome bad = reloadWith(reload, "{\"ipv6\": true,\n \"mtu\": \"big\"}");
        assertFalse(bad.applied());
        assertTrue(bad.line().startsWith("reload failed, running configuration kept: invalid configuration file "
                + file() + ": line 2: mtu must be a whole number"), bad.line());
        assertTrue(reloadWith(reload, "{\"ipv6\": true,\n \"bridge\": \"br0\"}").line()
                .contains("line 2: unknown option \"bridge\""));
        assertEquals(List.of(), ran);
        assertEquals(List.of(), announced);
        assertEquals(running, reload.running());

        ConfigReload refusing = reload(running, new IllegalStateException("no room"));
        ConfigReload.Outcome refused = reloadWith(refusing, "{\"ipv6\": true, \"dns\": [\"198.51.100.1\"]}");
        assertFalse(refused.applied());
        assertEquals("reload failed, running configuration kept: default bridge: no room", refused.line());
        assertEquals(List.of(), ran, "the DNS step after a refusing bridge step does not run");
        assertEquals(running, refusing.running());
    }

    @Test
    void flagsGivenAtStartStillWinAndAKeyInBothPlacesIsRefusedAsAtStart() throws IOException {
        DaemonConfig running = load("{}", "--ipv6", "--fixed-cidr-v6", "2001:db8:1::/80");
        ConfigReload reload = reload(running, null, "--ipv6", "--fixed-cidr-v6", "2001:db8:1::/80");
        assertTrue(reloadWith(reload, "{\"icc\": false}").applied());
        assertEquals(List.of("bridge ipv6=true icc=false"), ran);
        ConfigReload.Outcome both = reloadWith(reload, "{\"ipv6\": false}");
        assertFalse(both.applied());
        assertTrue(both.line().contains("specified both as a flag and in the configuration file: ipv6"), both.line());
    }

    @Test
    void everyLiveOptionNeedsExactlyOneStep() {
        DaemonConfig running = null;
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new ConfigReload(flags(),
                running, List.of(new ConfigReload.Step("dns", EnumSet.of(ConfigKey.DNS), c -> "")), a -> { }));
        assertTrue(missing.getMessage().startsWith("no reload step applies debug"), missing::getMessage);
        IllegalArgumentException restart = assertThrows(IllegalArgumentException.class, () -> new ConfigReload(flags(),
                running, List.of(new ConfigReload.Step("mtu", EnumSet.of(ConfigKey.MTU), c -> "")), a -> { }));
        assertTrue(restart.getMessage().contains("applies mtu, which is not LIVE"), restart::getMessage);
    }
}
