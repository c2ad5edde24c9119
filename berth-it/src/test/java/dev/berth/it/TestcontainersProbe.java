package dev.berth.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;

/**
 * What a Testcontainers user's test does with networks, run by {@link TestcontainersIT} in a JVM of its
 * own: Testcontainers finds its Docker through {@code DOCKER_HOST} once per JVM and keeps it (and its
 * shutdown hook) for the JVM's life, so each run needs a fresh one. Two {@link Network}s, containers
 * with network aliases on them, a container connected to a second network through Testcontainers'
 * own docker-java client (Testcontainers has no connect of its own), then name resolution and ping
 * across them, by alias. Prints {@code key=value} lines for the IT; any failure is an exception and a
 * non-zero exit.
 */
public final class TestcontainersProbe {
    private static final DockerImageName BUSYBOX = DockerImageName.parse("busybox:latest");
    /** A PID 1 that ends at SIGTERM at once (a plain {@code sleep} ignores it and waits for SIGKILL). */
    private static final String[] IDLE = {"sh", "-c", "trap 'exit 0' TERM; echo ready; while :; do sleep 1; done"};

    private TestcontainersProbe() {
    }

    public static void main(String[] args) throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        print("api", DockerClientFactory.instance().getActiveApiVersion());
        try (Network front = Network.newNetwork();
             Network back = Network.newNetwork();
             GenericContainer<?> server = new GenericContainer<>(BUSYBOX).withCommand(IDLE)
                     .withNetwork(front).withNetworkAliases("server", "srv");
             GenericContainer<?> client = new GenericContainer<>(BUSYBOX).withCommand(IDLE)
                     .withNetwork(back).withNetworkAliases("client")) {
            server.start();
            client.start();
            print("front", front.getId());
            print("back", back.getId());
            print("server.running", String.valueOf(server.isRunning()));
            print("server.logs", server.getLogs().strip());

            // not on the same network yet: the alias is unknown to the client
            print("before.ping", String.valueOf(client.execInContainer("ping", "-c1", "-W1", "srv").getExitCode()));

            docker.connectToNetworkCmd().withNetworkId(front.getId()).withContainerId(client.getContainerId())
                    .withContainerNetwork(new ContainerNetwork().withAliases("late")).exec();
            ExecResult ping = client.execInContainer("ping", "-c1", "-W2", "srv");
            print("after.ping", ping.getExitCode() + " " + firstLine(ping.getStdout()));
            ExecResult lookup = server.execInContainer("nslookup", "late");
            print("lookup.late", lookup.getExitCode() + " " + addressLines(lookup.getStdout()));
            print("server.addresses", server.execInContainer("ip", "-4", "-o", "addr", "show", "eth0").getStdout().strip());
            print("client.links", String.join(",", client.execInContainer("ls", "/sys/class/net").getStdout().strip().split("\\s+")));

            Map<String, List<String>> aliases = new TreeMap<>();
            docker.inspectContainerCmd(client.getContainerId()).exec().getNetworkSettings().getNetworks()
                    .forEach((name, network) -> aliases.put(front.getId().equals(network.getNetworkID()) ? "front"
                                    : back.getId().equals(network.getNetworkID()) ? "back" : name,
                            network.getAliases() == null ? List.of() : network.getAliases()));
            print("client.aliases", aliases.toString());
        }
        print("left.networks", String.valueOf(docker.listNetworksCmd().exec().size()));
        print("left.containers", String.valueOf(docker.listContainersCmd().withShowAll(true).exec().size()));
        print("done", "true");
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    private static String addressLines(String nslookup) {
        return String.join(",", nslookup.lines().filter(l -> l.startsWith("Address: ")).map(l -> l.substring(9)).toList());
    }

    private static void print(String key, String value) {
        System.out.println(key + "=" + value.replace('\n', ' '));
    }
}
