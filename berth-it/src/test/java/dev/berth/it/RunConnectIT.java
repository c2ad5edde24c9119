package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A process started on the default bridge and then connected to a user-defined network with the
 * real docker CLI: its {@code /etc/resolv.conf} switches to the embedded resolver (and stays after
 * the disconnect, as Docker's), so it resolves its new peers by name, and its {@code /etc/hosts}
 * gains and loses its own address on that network, keeping a line the process added itself. Its
 * resolver stays after the disconnect and forwards, as Docker's.
 */
@ExtendWith(TestbedExtension.class)
class RunConnectIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CommandResult berth(Testbed bed, String... args) {
        return bed.berth().withFlag(bed.daemon().socket(), args);
    }

    private static String exec(Testbed bed, String container, String... command) {
        String[] args = new String[command.length + 3];
        args[0] = "exec";
        args[1] = container;
        args[2] = "--";
        System.arraycopy(command, 0, args, 3, command.length);
        return berth(bed, args).assertSuccess().stdout();
    }

    private static List<String> nameservers(String resolvConf) {
        return resolvConf.lines().filter(l -> l.startsWith("nameserver ")).toList();
    }

    private static String address(Testbed bed, String container, String network) throws Exception {
        JsonNode inspect = JSON.readTree(bed.docker().ok("inspect", container).stdout());
        return inspect.get(0).path("NetworkSettings").path("Networks").path(network).path("IPAddress").asText();
    }

    @Test
    void connectingARunningProcessToAUserNetworkGivesItTheEmbeddedResolverAndItsNewAddress(Testbed bed)
            throws Exception {
        bed.daemon().writeConfig("{\"dns\": [\"" + HostFixture.UPSTREAM_V4 + "\"]}\n");
        bed.daemon().start();
        berth(bed, "run", "-d", "--name", "ca", "--hostname", "boxa", "--network", "bridge", "--",
                "sleep", "300").assertSuccess();
        String before = exec(bed, "ca", "cat", "/etc/resolv.conf");
        assertFalse(before.contains("127.0.0.11"), before);
        String bridgeAddress = address(bed, "ca", "bridge");
        exec(bed, "ca", "sh", "-c", "printf '192.0.2.9\\tadded-inside\\n' >> /etc/hosts");

        bed.docker().ok("network", "create", "--subnet", "10.79.0.0/24", "usernet");
        berth(bed, "run", "-d", "--name", "cb", "--network", "usernet", "--", "sleep", "300").assertSuccess();
        String peer = address(bed, "cb", "usernet");
        bed.docker().ok("network", "connect", "usernet", "ca");
        String own = address(bed, "ca", "usernet");

        String resolvConf = exec(bed, "ca", "cat", "/etc/resolv.conf");
        assertEquals(List.of("nameserver 127.0.0.11"), nameservers(resolvConf), resolvConf);
        assertTrue(resolvConf.lines().anyMatch(l -> l.equals("options ndots:0")), resolvConf);
        String resolved = exec(bed, "ca", "getent", "hosts", "cb");
        assertEquals(peer, resolved.strip().split("\\s+")[0], resolved);
        String hosts = exec(bed, "ca", "cat", "/etc/hosts");
        assertTrue(hosts.contains(bridgeAddress + "\tboxa ca\n"), hosts);
        assertTrue(hosts.contains(own + "\tboxa ca\n"), hosts);
        assertTrue(hosts.contains("192.0.2.9\tadded-inside\n"), hosts);

        bed.docker().ok("network", "disconnect", "usernet", "ca");
        hosts = exec(bed, "ca", "cat", "/etc/hosts");
        assertFalse(hosts.contains(own + "\t"), hosts);
        assertTrue(hosts.contains(bridgeAddress + "\tboxa ca\n"), hosts);
        assertTrue(hosts.contains("192.0.2.9\tadded-inside\n"), hosts);
        resolvConf = exec(bed, "ca", "cat", "/etc/resolv.conf");
        assertEquals(List.of("nameserver 127.0.0.11"), nameservers(resolvConf),
                "Docker does not switch back on disconnect: " + resolvConf);
        String reply = exec(bed, "ca", "dig", "@127.0.0.11", "+time=6", "+tries=1", "cb");
        assertTrue(reply.contains("status: SERVFAIL"),
                "the resolver stays and forwards (nothing answers upstream): " + reply);

        berth(bed, "rm", "-f", "ca", "cb").assertSuccess();
        bed.docker().ok("network", "rm", "usernet");
    }
}
