package dev.berth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.cli.format.JsonTree;
import dev.berth.cli.shell.Flags;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code berth run}'s flags into the create request, and {@code -p} values. */
class RunCommandTest {

    private static Flags.Options parse(String... args) {
        return new RunCommand().flags().parse(List.of(args), false);
    }

    @Test
    void commandAfterTheSeparatorAndFlagsOfItsOwnStayTheCommands() {
        Flags.Options options = parse("-d", "--name", "c1", "--", "sh", "-c", "exit 3");
        assertEquals(List.of("sh", "-c", "exit 3"), options.positional());
        Flags.Options noSeparator = parse("--rm", "ls", "-l");
        assertEquals(List.of("ls", "-l"), noSeparator.positional());
    }

    @Test
    void defaultBodyRunsOnTheDefaultNetwork() {
        String body = JsonTree.text(RunCommand.createBody(parse("--", "true")));
        assertEquals("{\"Hostname\":\"\",\"Image\":\"\",\"Cmd\":[\"true\"],\"Tty\":false,\"HostConfig\":"
                + "{\"NetworkMode\":\"default\",\"AutoRemove\":false,\"PortBindings\":{}},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{}}}", body);
    }

    @Test
    void networksAddressesAliasesPortsAndDetachedRemove() {
        String body = JsonTree.text(RunCommand.createBody(parse("-d", "--rm", "--hostname", "h", "--network", "n1",
                "--network", "n2", "--ip", "10.0.0.5", "--network-alias", "web", "-p", "8080:80",
                "-p", "127.0.0.1:53:53/udp", "-p", "[::1]:8443:443", "--", "sleep", "9")));
        assertEquals("{\"Hostname\":\"h\",\"Image\":\"\",\"Cmd\":[\"sleep\",\"9\"],\"Tty\":false,\"HostConfig\":"
                + "{\"NetworkMode\":\"n1\",\"AutoRemove\":true,\"PortBindings\":{"
                + "\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}],"
                + "\"53/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"53\"}],"
                + "\"443/tcp\":[{\"HostIp\":\"::1\",\"HostPort\":\"8443\"}]}},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"n1\":{\"IPAMConfig\":{\"IPv4Address\":\"10.0.0.5\","
                + "\"IPv6Address\":\"\"},\"Aliases\":[\"web\"]},\"n2\":{}}}}", body);
    }

    @Test
    void attachedRemoveIsTheClients() {
        String body = JsonTree.text(RunCommand.createBody(parse("--rm", "--", "true")));
        assertEquals(true, body.contains("\"AutoRemove\":false"), body);
    }

    @Test
    void portSpecs() {
        assertEquals(new PortSpec("80/tcp", "", ""), PortSpec.parse("80"));
        assertEquals(new PortSpec("80/tcp", "", "8080"), PortSpec.parse("8080:80"));
        assertEquals(new PortSpec("80/tcp", "0.0.0.0", ""), PortSpec.parse("0.0.0.0::80"));
        assertEquals(new PortSpec("53/udp", "10.1.2.3", "5353"), PortSpec.parse("10.1.2.3:5353:53/UDP"));
        assertEquals(new PortSpec("443/tcp", "2001:db8::1", "443"), PortSpec.parse("[2001:db8::1]:443:443"));
        assertThrows(IllegalArgumentException.class, () -> PortSpec.parse("80/sctp"));
        assertThrows(IllegalArgumentException.class, () -> PortSpec.parse("x:80"));
        assertThrows(IllegalArgumentException.class, () -> PortSpec.parse("70000"));
        assertThrows(IllegalArgumentException.class, () -> PortSpec.parse("1:2:3:4"));
    }
}
