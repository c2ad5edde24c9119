package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HttpReply;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The endpoint settings that clients send and Docker keeps (issue 14): legacy {@code --link} on
 * user-defined networks as a DNS alias for the linking container alone, {@code --link-local-ip}
 * on the interface, {@code --driver-opt} kept; all three in inspect. Real containers, the real CLI.
 */
@ExtendWith(TestbedExtension.class)
class EndpointSettingsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode endpoint(Testbed bed, String container, String network) throws IOException {
        return JSON.readTree(bed.docker().ok("inspect", container).stdout()).get(0)
                .path("NetworkSettings").path("Networks").path(network);
    }

    @Test
    void linksLinkLocalAddressesAndDriverOptsWorkAndShow(Testbed bed) throws IOException {
        bed.daemon().start();
        bed.docker().ok("network", "create", "--subnet", "10.89.5.0/24", "lnet");
        bed.docker().ok("network", "create", "--subnet", "10.89.6.0/24", "lnet2");
        bed.docker().ok("run", "-d", "--name", "db1", "--network", "lnet", "busybox", "sleep", "600");
        bed.docker().ok("run", "-d", "--name", "app", "--network", "lnet", "--link", "db1:database", "busybox",
                "sleep", "600");
        bed.docker().ok("run", "-d", "--name", "other", "--network", "lnet", "busybox", "sleep", "600");
        String db1 = endpoint(bed, "db1", "lnet").path("IPAddress").asText();

        assertEquals("[\"db1:database\"]", endpoint(bed, "app", "lnet").path("Links").toString());
        CommandResult viaLink = bed.docker().run("exec", "app", "ping", "-c1", "-W2", "database");
        assertEquals(0, viaLink.exitCode(), viaLink::describe);
        assertTrue(viaLink.stdout().contains("(" + db1 + ")"), viaLink::describe);
        CommandResult notLinked = bed.docker().run("exec", "other", "ping", "-c1", "-W2", "database");
        assertTrue(notLinked.exitCode() != 0 && notLinked.stderr().contains("bad address"), notLinked::describe);

        bed.docker().ok("network", "connect", "--link", "db1:db", "--link-local-ip", "169.254.7.7",
                "--link-local-ip", "fe80::7", "--driver-opt", "com.example.x=y", "lnet2", "other");
        JsonNode other = endpoint(bed, "other", "lnet2");
        assertEquals("[\"db1:db\"]", other.path("Links").toString());
        assertEquals("[\"169.254.7.7\",\"fe80::7\"]", other.path("IPAMConfig").path("LinkLocalIPs").toString());
        assertEquals("{\"com.example.x\":\"y\"}", other.path("DriverOpts").toString());
        String addresses = bed.docker().ok("exec", "other", "ip", "addr", "show", "eth1").stdout();
        assertTrue(addresses.contains("inet 169.254.7.7/16"), addresses);
        assertTrue(addresses.contains("inet6 fe80::7/64"), addresses);
        // db1 is not on lnet2: the link resolves to nothing there, as in Docker
        CommandResult elsewhere = bed.docker().run("exec", "other", "ping", "-c1", "-W2", "db");
        assertTrue(elsewhere.exitCode() != 0, elsewhere::describe);

        // bad input changes nothing: app stays off lnet2 and has no second interface
        CommandResult notLinkLocal = bed.docker().run("network", "connect", "--link-local-ip", "10.0.0.1", "lnet2", "app");
        assertEquals(1, notLinkLocal.exitCode(), notLinkLocal::describe);
        assertTrue(notLinkLocal.stderr().contains("invalid link-local IP address: 10.0.0.1"), notLinkLocal::describe);
        // the CLI refuses a malformed link itself; an API client gets the daemon's 400 with the same words
        CommandResult badLink = bed.docker().run("network", "connect", "--link", "a:b:c", "lnet2", "app");
        assertTrue(badLink.exitCode() != 0 && badLink.stderr().contains("bad format for links: a:b:c"),
                badLink::describe);
        HttpReply badLinkApi = bed.api().send("POST", "/v1.50/networks/lnet2/connect", "application/json",
                "{\"Container\":\"app\",\"EndpointConfig\":{\"Links\":[\"a:b:c\"]}}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(400, badLinkApi.status(), badLinkApi::toString);
        assertTrue(badLinkApi.text().contains("bad format for links: a:b:c"), badLinkApi::toString);
        assertTrue(endpoint(bed, "app", "lnet2").isMissingNode());
        assertFalse(bed.docker().ok("exec", "app", "ip", "link").stdout().contains("eth1"));

        // restarted, the daemon keeps them all
        bed.daemon().restart();
        other = endpoint(bed, "other", "lnet2");
        assertEquals("[\"169.254.7.7\",\"fe80::7\"]", other.path("IPAMConfig").path("LinkLocalIPs").toString());
        CommandResult byName = bed.docker().run("exec", "app", "ping", "-c1", "-W2", "db1");
        assertEquals(0, byName.exitCode(), byName::describe);
        CommandResult afterRestart = bed.docker().run("exec", "app", "ping", "-c1", "-W2", "database");
        assertEquals(0, afterRestart.exitCode(), afterRestart::describe);

        // com.docker.network.endpoint.sysctls: set on the interface the endpoint gets (the CLI reads --driver-opt as
        // CSV, so a list of them is quoted)
        bed.docker().ok("network", "connect", "--driver-opt",
                "\"com.docker.network.endpoint.sysctls=net.ipv4.conf.IFNAME.log_martians=1,net.ipv4.conf.IFNAME.arp_notify=1\"",
                "lnet2", "app");
        assertEquals("1\n1\n", bed.docker().ok("exec", "app", "cat", "/proc/sys/net/ipv4/conf/eth1/log_martians",
                "/proc/sys/net/ipv4/conf/eth1/arp_notify").stdout());
        assertEquals("0\n", bed.docker().ok("exec", "app", "cat", "/proc/sys/net/ipv4/conf/eth0/log_martians").stdout());
        bed.docker().ok("network", "disconnect", "lnet2", "app");
        CommandResult notInterface = bed.docker().run("network", "connect", "--driver-opt",
                "com.docker.network.endpoint.sysctls=net.ipv4.ip_forward=1", "lnet2", "app");
        assertTrue(notInterface.exitCode() == 1 && notInterface.stderr().contains(
                "unrecognised network interface sysctl 'net.ipv4.ip_forward=1'; represent 'net.X.Y.ethN.Z=V' as"),
                notInterface::describe);
        CommandResult noSuchKey = bed.docker().run("network", "connect", "--driver-opt",
                "com.docker.network.endpoint.sysctls=net.ipv4.conf.IFNAME.nosuch=1", "lnet2", "app");
        assertTrue(noSuchKey.exitCode() == 1
                && noSuchKey.stderr().contains("/proc/sys/net/ipv4/conf/eth1/nosuch is not a sysctl file"), noSuchKey::describe);
        assertTrue(endpoint(bed, "app", "lnet2").isMissingNode());
        assertFalse(bed.docker().ok("exec", "app", "ip", "link").stdout().contains("eth1"));

        bed.docker().ok("rm", "-f", "db1", "app", "other");
        bed.docker().ok("network", "rm", "lnet", "lnet2");
        assertEquals(List.of(), bed.docker().ok("ps", "-aq").stdout().lines().toList());
    }
}
