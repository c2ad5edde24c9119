package dev.berth.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code docker create -p}, {@code docker ps} and {@code docker inspect} of published ports with the real CLI. */
class DockerCliPortsTest extends DockerCliCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void createNet1() throws Exception {
        ok("network", "create", "net1");
    }

    @Test
    void psAndInspectShowTheBindings() throws Exception {
        ok("create", "-p", "8080:80", "-p", "127.0.0.1:9053:53/udp", "--name", "web", "--network", "net1", "x");
        assertEquals("127.0.0.1:9053->53/udp, 0.0.0.0:8080->80/tcp\n", ok("ps", "--format", "{{.Ports}}").out());
        JsonNode web = JSON.readTree(ok("inspect", "web").out()).get(0);
        assertEquals("{\"53/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"9053\"}],"
                + "\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}", web.at("/HostConfig/PortBindings").toString());
        assertEquals("{\"53/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"9053\"}],"
                + "\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}]}", web.at("/NetworkSettings/Ports").toString());
    }

    @Test
    void ipv6NetworkAlsoBindsTheUnspecifiedV6AddressAndEphemeralPortsComeFromTheRange() throws Exception {
        ok("network", "create", "--ipv6", "--subnet", "fd00:b1:9::/64", "net6");
        ok("create", "-p", "8080:80", "-p", "81", "--name", "web", "--network", "net6", "x");
        String ports = ok("ps", "--format", "{{.Ports}}").out().strip();
        assertTrue(ports.matches("0\\.0\\.0\\.0:8080->80/tcp, \\[::\\]:8080->80/tcp, 0\\.0\\.0\\.0:(\\d+)->81/tcp,"
                + " \\[::\\]:\\1->81/tcp"), ports);
    }

    @Test
    void hostModeDiscardsPortsWithDockersWarning() throws Exception {
        DockerCli.Run run = ok("create", "-p", "8080:80", "--name", "h1", "--network", "host", "x");
        assertTrue(run.err().contains("WARNING: Published ports are discarded when using host network mode"),
                run.err());
        assertEquals("\n", ok("ps", "--format", "{{.Ports}}").out());
    }

    @Test
    void conflictsAndBadSpecsMakeNothing() throws Exception {
        ok("create", "-p", "8080:80", "--name", "web", "--network", "net1", "x");
        DockerCli.Run clash = docker.run("create", "-p", "127.0.0.1:8080:80", "--name", "web2", "--network", "net1", "x");
        assertEquals(1, clash.exit());
        assertEquals("Error response from daemon: Bind for 127.0.0.1:8080 failed: port is already allocated"
                + " (published by container \"web\" as 0.0.0.0:8080->80/tcp)", clash.err().strip());
        ok("create", "-p", "8080:80/udp", "--name", "dns", "--network", "net1", "x");
        RawHttp.Response bad = new RawHttp(daemon.socket).send("POST", "/v1.50/containers/create?name=bad",
                "application/json", "{\"HostConfig\":{\"NetworkMode\":\"net1\",\"PortBindings\":"
                        + "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"80a\"}]}}}");
        assertEquals(400, bad.status(), bad.body());
        assertEquals("{\"message\":\"invalid port specification: \\\"80a\\\"\"}\n", bad.body());
        String names = ok("ps", "--format", "{{.Names}}").out();
        assertFalse(names.contains("web2") || names.contains("bad"), names);
    }
}
