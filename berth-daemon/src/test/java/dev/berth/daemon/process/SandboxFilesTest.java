package dev.berth.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ProcessLauncher;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxFilesTest {

    @Test
    void resolvConfDropsLoopbackServersAndKeepsSearchAndOptions() {
        assertEquals("nameserver 10.0.0.53\nnameserver 2001:db8::53\nsearch example.org\noptions ndots:2\n",
                SandboxFiles.resolvConf(List.of("# generated", "nameserver 127.0.0.53", "nameserver 10.0.0.53",
                        "nameserver ::1", "nameserver 2001:db8::53", "search   example.org", "options ndots:2")));
    }

    @Test
    void resolvConfFallsBackToPublicServers() {
        assertEquals("nameserver 8.8.8.8\nnameserver 8.8.4.4\n",
                SandboxFiles.resolvConf(List.of("nameserver 127.0.0.53")));
    }

    @Test
    void hostsListsLocalhostAndOwnAddresses() {
        assertEquals("""
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::\tip6-localnet
                ff00::\tip6-mcastprefix
                ff02::1\tip6-allnodes
                ff02::2\tip6-allrouters
                10.1.0.2\tbox c1
                fd00::2\tbox c1
                """, SandboxFiles.hosts(List.of("10.1.0.2", "fd00::2"), "box", "c1"));
        assertEquals("10.1.0.2\tc1", SandboxFiles.hosts(List.of("10.1.0.2"), "c1", "c1").lines().skip(6)
                .findFirst().orElseThrow());
    }

    @Test
    void launcherArgvEntersTheNetworkNamespaceThenUnsharesPidMountAndUts() {
        SandboxId id = new SandboxId("a".repeat(64));
        ProcessLauncher.Launch launch = new ProcessLauncher.Launch(id, "c1", "h1", "/run/berth/netns/aaaa",
                List.of("sleep", "9"), List.of(), false);
        assertEquals(List.of("env", "--default-signal", "--", "nsenter", "--net=/run/berth/netns/aaaa", "--",
                "unshare", "--pid", "--fork", "--kill-child", "--mount", "--uts", "--propagation", "private", "--",
                "/bin/sh", "-c", ConmonLauncher.SCRIPT, "sh", "/run/berth/sandboxes/x", "h1", "sleep", "9"),
                ConmonLauncher.argv(launch, Path.of("/run/berth/sandboxes/x")));
        ProcessLauncher.Launch host = new ProcessLauncher.Launch(id, "c1", "h1", "", List.of("it's"), List.of(), false);
        assertEquals("unshare", ConmonLauncher.argv(host, Path.of("/x")).get(3));
        assertTrue(ConmonLauncher.startScript(host, Path.of("/x")).endsWith(" '/x' 'h1' 'it'\\''s'\n"));
    }

    @Test
    void userNetworksGetTheEmbeddedResolverWithTheHostsSearchDomains() {
        assertEquals("nameserver 127.0.0.11\nsearch corp.example\noptions ndots:0\n",
                SandboxFiles.embeddedResolvConf(List.of("nameserver 10.0.0.2", "search corp.example")));
        assertEquals("nameserver 127.0.0.11\noptions ndots:2 timeout:1\n",
                SandboxFiles.embeddedResolvConf(List.of("nameserver 127.0.0.53", "options ndots:2 timeout:1")));
    }

    @Test
    void ownEntriesFollowTheAddressesAndOtherLinesStay() {
        String start = SandboxFiles.hosts(List.of("172.17.0.2"), "box", "c1") + "192.0.2.9\tadded-by-user\n";
        String connected = SandboxFiles.withOwnAddresses(start, List.of("172.17.0.2", "10.1.0.3", "fd00::3"), "box",
                "c1");
        assertEquals(start + "10.1.0.3\tbox c1\nfd00::3\tbox c1\n", connected);
        assertEquals(connected, SandboxFiles.withOwnAddresses(connected, List.of("172.17.0.2", "10.1.0.3", "fd00::3"),
                "box", "c1"));
        assertEquals(start, SandboxFiles.withOwnAddresses(connected, List.of("172.17.0.2"), "box", "c1"));
        String none = SandboxFiles.withOwnAddresses(connected, List.of(), "box", "c1");
        assertEquals(SandboxFiles.hosts(List.of(), "box", "c1") + "192.0.2.9\tadded-by-user\n", none);
    }

    @Test
    void localhostLinesAreNeverTakenForOwnEntries() {
        String hosts = SandboxFiles.hosts(List.of("10.1.0.2"), "localhost", "localhost");
        assertEquals(SandboxFiles.hosts(List.of(), "localhost", "localhost"),
                SandboxFiles.withOwnAddresses(hosts, List.of(), "localhost", "localhost"));
    }

    @Test
    void embeddedResolverIsRecognisedByItsNameserverLine() {
        assertTrue(SandboxFiles.namesEmbeddedResolver(SandboxFiles.embeddedResolvConf(List.of())));
        assertFalse(SandboxFiles.namesEmbeddedResolver(SandboxFiles.resolvConf(List.of("nameserver 10.0.0.2"))));
        assertFalse(SandboxFiles.namesEmbeddedResolver("# nameserver 127.0.0.11\nsearch 127.0.0.11\n"));
    }
}
