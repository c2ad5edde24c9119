package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PruneType;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.berth.it.fixture.LinkState;
import dev.berth.it.fixture.Testbed;
import dev.berth.it.fixture.TestbedExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docker-java (3.7.1: {@code docker-java-core} with the dependency-free Unix-socket transport
 * {@code docker-java-transport-zerodep}), unchanged, on the test's socket, in this JVM: a dual-stack
 * network with IPAM, label and bridge name, containers created on it with an alias and a fixed
 * address, a container connected with an alias and address of its own, exec (ping and nslookup by
 * alias), logs, disconnect, wait, stop, remove and prune; the errors it maps (404, 409). The kernel
 * agrees at each step: the bridge's addresses and ports, the container's interfaces.
 */
@ExtendWith(TestbedExtension.class)
class DockerJavaIT {
    private static final String IDLE = "trap 'exit 0' TERM; echo ready; while :; do sleep 1; done";

    private static DockerClient client(Testbed bed) throws IOException {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + bed.daemon().socket())
                .withDockerConfig(Files.createDirectories(bed.dir().resolve("docker-java")).toString())
                .build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofSeconds(30)).build();
        return DockerClientImpl.getInstance(config, http);
    }

    /** Runs {@code argv} in {@code container} through exec create/start/inspect: exit code, then output. */
    private static String exec(DockerClient docker, String container, String... argv) throws InterruptedException {
        ExecCreateCmdResponse exec = docker.execCreateCmd(container).withCmd(argv)
                .withAttachStdout(true).withAttachStderr(true).exec();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        docker.execStartCmd(exec.getId()).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.writeBytes(frame.getPayload());
            }
        }).awaitCompletion(20, TimeUnit.SECONDS);
        return docker.inspectExecCmd(exec.getId()).exec().getExitCodeLong() + " " + out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> bridgePorts(Testbed bed, String bridge) {
        return bed.host().ipHost("-o", "link", "show", "master", bridge).lines().stream()
                .map(l -> l.split(":\\s+")[1].split("@")[0]).toList();
    }

    private static Set<String> ids(DockerClient docker) {
        return docker.listContainersCmd().withShowAll(true).exec().stream().map(c -> c.getId())
                .collect(Collectors.toSet());
    }

    @Test
    void networksContainersAndTheirCallsWork(Testbed bed) throws Exception {
        bed.daemon().start();
        HostState fresh = HostState.of(bed);
        try (DockerClient docker = client(bed)) {
            docker.pingCmd().exec();
            Version version = docker.versionCmd().exec();
            assertEquals("1.50", version.getApiVersion());
            assertEquals("28.2.2", version.getVersion());
            assertEquals("28.2.2", docker.infoCmd().exec().getServerVersion());

            String netId = docker.createNetworkCmd().withName("jnet").withDriver("bridge").withEnableIpv6(true)
                    .withIpam(new Network.Ipam().withConfig(
                            new Network.Ipam.Config().withSubnet("10.89.30.0/24").withGateway("10.89.30.1")
                                    .withIpRange("10.89.30.128/25"),
                            new Network.Ipam.Config().withSubnet("fd00:89:30::/64")))
                    .withLabels(Map.of("suite", "java")).withOptions(Map.of("com.docker.network.bridge.name", "br-jnet"))
                    .exec().getId();
            Network net = docker.inspectNetworkCmd().withNetworkId("jnet").exec();
            assertEquals(netId, net.getId());
            assertEquals("10.89.30.128/25", net.getIpam().getConfig().get(0).getIpRange());
            assertEquals("fd00:89:30::1", net.getIpam().getConfig().get(1).getGateway());
            LinkState bridge = bed.host().hostLink("br-jnet").orElseThrow();
            assertTrue(bridge.addresses().containsAll(List.of("10.89.30.1/24", "fd00:89:30::1/64")), bridge::toString);
            assertEquals(List.of("jnet"), docker.listNetworksCmd().withFilter("label", List.of("suite=java")).exec()
                    .stream().map(Network::getName).toList());
            ConflictException duplicate = assertThrows(ConflictException.class,
                    () -> docker.createNetworkCmd().withName("jnet").exec());
            assertTrue(duplicate.getMessage().contains("network with name jnet already exists"), duplicate::getMessage);
            assertThrows(NotFoundException.class, () -> docker.inspectNetworkCmd().withNetworkId("nosuch").exec());

            String srv = docker.createContainerCmd("busybox").withName("jsrv").withCmd("sh", "-c", IDLE)
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("jnet"))
                    .withAliases("server").withIpv4Address("10.89.30.200").withLabels(Map.of("suite", "java"))
                    .exec().getId();
            docker.startContainerCmd(srv).exec();
            String cli = docker.createContainerCmd("busybox").withName("jcli").withCmd("sh", "-c", IDLE)
                    .withLabels(Map.of("suite", "java")).exec().getId();
            docker.startContainerCmd(cli).exec();
            docker.connectToNetworkCmd().withNetworkId("jnet").withContainerId(cli)
                    .withContainerNetwork(new ContainerNetwork().withAliases("client")
                            .withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address("10.89.30.20")))
                    .exec();

            InspectContainerResponse inspected = docker.inspectContainerCmd("jcli").exec();
            ContainerNetwork onJnet = inspected.getNetworkSettings().getNetworks().get("jnet");
            assertEquals("10.89.30.20", onJnet.getIpAddress());
            assertEquals(List.of("client"), onJnet.getAliases());
            assertTrue(onJnet.getGlobalIPv6Address().startsWith("fd00:89:30::"), onJnet::toString);
            assertEquals(2, bridgePorts(bed, "br-jnet").size());
            String eth1 = exec(docker, cli, "ip", "-o", "addr", "show", "eth1");
            assertTrue(eth1.startsWith("0 ") && eth1.contains("inet 10.89.30.20/24") && eth1.contains("inet6 fd00:89:30::"), eth1);

            String ping = exec(docker, cli, "ping", "-4", "-c1", "-W2", "server");
            assertTrue(ping.startsWith("0 PING server (10.89.30.200)"), ping);
            String ping6 = exec(docker, cli, "ping", "-6", "-c1", "-W2", "jsrv");
            assertTrue(ping6.startsWith("0 PING jsrv (fd00:89:30::"), ping6);
            String lookup = exec(docker, srv, "nslookup", "client");
            assertTrue(lookup.startsWith("0 ") && lookup.contains("Address: 10.89.30.20"), lookup);

            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            docker.logContainerCmd(srv).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    logs.writeBytes(frame.getPayload());
                }
            }).awaitCompletion(20, TimeUnit.SECONDS);
            assertEquals("ready\n", logs.toString(StandardCharsets.UTF_8));

            docker.disconnectFromNetworkCmd().withNetworkId("jnet").withContainerId(cli).exec();
            assertEquals(List.of("bridge"), List.copyOf(docker.inspectContainerCmd(cli).exec().getNetworkSettings()
                    .getNetworks().keySet()));
            String gone = exec(docker, cli, "ip", "link", "show", "eth1");
            assertTrue(!gone.startsWith("0 ") && gone.contains("can't find device 'eth1'"), gone);
            // the host end goes in the background, off the request path
            Poll.eventually(10, "the disconnected veth leaves br-jnet", () -> bridgePorts(bed, "br-jnet").size() == 1);

            String shortLived = docker.createContainerCmd("busybox").withCmd("sh", "-c", "exit 3")
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("jnet")).exec().getId();
            docker.startContainerCmd(shortLived).exec();
            assertEquals(3, docker.waitContainerCmd(shortLived).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(20, TimeUnit.SECONDS));

            docker.stopContainerCmd(srv).withTimeout(5).exec();
            assertEquals(0L, docker.inspectContainerCmd(srv).exec().getState().getExitCodeLong());
            // moby's 403 (docker-java has no class of its own for it)
            DockerException inUse = assertThrows(DockerException.class, () -> docker.removeNetworkCmd("jnet").exec());
            assertEquals(403, inUse.getHttpStatus());
            assertTrue(inUse.getMessage().contains("network jnet has active endpoints"), inUse::getMessage);
            // the stopped server and the exited one go; the running client stays
            docker.pruneCmd(PruneType.CONTAINERS).withLabelFilter("suite=java").exec();
            assertEquals(Set.of(cli, shortLived), ids(docker));
            docker.pruneCmd(PruneType.CONTAINERS).exec();
            assertEquals(Set.of(cli), ids(docker));
            docker.removeContainerCmd(cli).withForce(true).exec();
            docker.pruneCmd(PruneType.VOLUMES).exec();
            docker.pruneCmd(PruneType.NETWORKS).withLabelFilter("suite=java").exec();
            assertThrows(NotFoundException.class, () -> docker.inspectNetworkCmd().withNetworkId("jnet").exec());
        }
        HostState.awaitBackTo(fresh, bed);
    }
}
