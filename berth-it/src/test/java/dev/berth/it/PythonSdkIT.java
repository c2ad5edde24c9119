package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.fixture.CommandResult;
import dev.berth.it.fixture.HostFixture;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Python Docker SDK, unchanged, driving Berth the way users' test suites do
 * ({@code src/test/resources/clients/docker_sdk.py}, in three phases with the kernel checked between
 * them): networks with IPAM, labels, a bridge name and {@code internal}, a duplicate name, containers
 * run detached with a published port, connect with aliases and a fixed address, exec with demux,
 * environment and working directory, logs, top, list filters, disconnect, wait, {@code run(remove=True)},
 * stop, prune of containers, networks and volumes, a 404, and {@code swarm.leave(force=True)}.
 *
 * <p>Run by Debian's {@code /usr/bin/python3} with Debian's python3-docker 5.0.3 (what docker-compose 1.29
 * depends on; scripts/install-deps.sh installs it), and again by any other {@code python3} on the
 * {@code PATH} that has a {@code docker} package of another version (this machine's Python 3.11 has the
 * SDK 7.1.0 from PyPI).
 */
@ExtendWith(TestbedExtension.class)
class PythonSdkIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEBIAN_PYTHON = "/usr/bin/python3";

    @Test
    void networkAndContainerCallsWork(Testbed bed) throws Exception {
        bed.daemon().start();
        HostState fresh = HostState.of(bed);
        Path script = Path.of(PythonSdkIT.class.getResource("/clients/docker_sdk.py").toURI());
        List<String> versions = new ArrayList<>();
        for (String python : interpreters(bed)) {
            versions.add(phases(bed, python, script));
            HostState.awaitBackTo(fresh, bed);
            System.out.println("PythonSdkIT: the Python Docker SDK " + versions.getLast() + " (" + python + ") passed");
        }
        assertEquals("5.0.3", versions.getFirst(), "Debian's python3-docker");
    }

    /** Debian's python3, then another python3 on the PATH whose docker package differs. */
    private static List<String> interpreters(Testbed bed) {
        List<String> out = new ArrayList<>(List.of(DEBIAN_PYTHON));
        CommandResult found = bed.run(List.of("sh", "-c", "command -v python3 && python3 -c 'import docker, sys; "
                + "print(sys.executable); print(docker.__version__)'"),
                Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                        "HOME", System.getenv().getOrDefault("HOME", "/root")),
                Duration.ofSeconds(20));
        List<String> lines = found.lines();
        if (found.exitCode() == 0 && lines.size() == 3 && !lines.get(2).equals("5.0.3")) {
            out.add(lines.get(1));
        }
        return out;
    }

    /** up, check, down with one interpreter; returns its SDK version. */
    private static String phases(Testbed bed, String python, Path script) throws IOException, InterruptedException {
        JsonNode up = phase(bed, python, script, "up");
        String sdk = up.path("sdk").asText();
        String what = python + " (docker " + sdk + "): " + up;
        assertEquals("1.50", up.path("server_api").asText(), what);
        assertEquals("28.2.2", up.path("server_version").asText(), what);
        assertEquals("[{\"Subnet\":\"10.89.20.0/24\",\"IPRange\":\"10.89.20.128/25\",\"Gateway\":\"10.89.20.1\"}]",
                up.path("ipam").toString(), what);
        assertTrue(up.path("internal").asBoolean(), what);
        assertEquals("[\"pyinternal\",\"pynet\"]", up.path("by_label").toString(), what);
        assertEquals("[409,\"network with name pynet already exists\"]", up.path("duplicate").toString(), what);
        String srvAddress = up.at("/srv/pynet/IPAddress").asText();
        assertTrue(srvAddress.startsWith("10.89.20.") && Integer.parseInt(srvAddress.substring(9)) >= 128,
                "inside the ip range: " + what);
        assertEquals("10.89.20.20", up.at("/cli/pynet/IPAddress").asText(), what);
        assertEquals("[\"client\",\"cli-alias\"]", up.at("/cli/pynet/Aliases").toString(), what);
        assertEquals("[\"srv-inside\"]", up.at("/srv/pyinternal/Aliases").toString(), what);
        assertEquals("[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8081\"}]", up.path("ports").toString(), what);

        // the kernel: the named bridge with the gateway, the internal network in the firewall's set,
        // and the published port answering on the host's loopback
        assertTrue(bed.host().hostLink("br-pynet").orElseThrow().addresses().contains("10.89.20.1/24"), what);
        String internalId = bed.docker().ok("network", "inspect", "-f", "{{.Id}}", "pyinternal").stdout().strip();
        String internalSet = bed.run(HostFixture.inNamespace(bed.host().hostNs(), "nft", "list", "set", "inet", "berth",
                "internal")).assertSuccess().stdout();
        assertTrue(internalSet.contains(Bridges.device(internalId)), internalSet);
        CommandResult published = bed.run(HostFixture.inNamespace(bed.host().hostNs(), "curl", "-s", "-m", "5",
                "http://127.0.0.1:8081/"));
        assertEquals("hello-from-pysrv\n", published.stdout(), published::describe);

        JsonNode check = phase(bed, python, script, "check");
        what = python + " (docker " + sdk + "): " + check;
        assertEquals("[\"running\",\"running\"]", check.path("status").toString(), what);
        assertEquals(0, check.at("/nslookup/0").asInt(), what);
        String srvInternal = up.at("/srv/pyinternal/IPAddress").asText();
        String answer = check.at("/nslookup/1").asText();
        assertTrue(answer.contains("Address: " + srvAddress) || answer.contains("Address: " + srvInternal), what);
        assertEquals(0, check.path("ping_alias").asInt(), what);
        assertEquals(0, check.path("ping_inside").asInt(), what);
        assertEquals("[0,\"hello-from-pysrv\\n\"]", check.path("wget").toString(), what);
        assertEquals("[3,\"out\\nhi\\n/tmp\\n\",\"err\\n\"]", check.path("demux").toString(), what);
        assertEquals("ready\n", check.path("logs").asText(), what);
        assertEquals("UID", check.at("/top/0").asText(), what);
        assertEquals("[\"pycli\",\"pysrv\"]", check.path("listed").toString(), what);
        assertEquals("[\"pycli\",\"pysrv\"]", check.path("net_containers").toString(), what);

        JsonNode down = phase(bed, python, script, "down");
        what = python + " (docker " + sdk + "): " + down;
        assertEquals("[\"bridge\",\"pyinternal\"]", down.path("cli_after_disconnect").toString(), what);
        assertEquals(7, down.path("wait").asInt(), what);
        assertEquals("bye\n", down.path("done_logs").asText(), what);
        assertEquals("inline\n", down.path("run_rm").asText(), what);
        assertEquals("[\"exited\",0]", down.path("stopped").toString(), what);
        assertTrue(down.path("prune_containers").asBoolean(), what);
        assertEquals("[\"pyinternal\",\"pynet\"]", down.path("prune_networks").toString(), what);
        assertEquals("{\"VolumesDeleted\":null,\"SpaceReclaimed\":0}", down.path("prune_volumes").toString(), what);
        assertEquals("[\"bridge\",\"host\",\"none\"]", down.path("networks_left").toString(), what);
        assertEquals("[]", down.path("containers_left").toString(), what);
        assertEquals("network nosuch not found", down.path("not_found").asText(), what);
        assertTrue(down.path("swarm_leave").asBoolean(), what);
        return sdk;
    }

    private static JsonNode phase(Testbed bed, String python, Path script, String name) throws IOException {
        Path home = Files.createDirectories(bed.dir().resolve("python-home"));
        CommandResult run = bed.run(List.of(python, script.toString(), name),
                Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME", home.toString(),
                        "DOCKER_HOST", "unix://" + bed.daemon().socket()),
                Duration.ofSeconds(60));
        assertEquals(0, run.exitCode(), run::describe);
        return JSON.readTree(run.stdout());
    }
}
