package dev.berth.bench;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netlink.AddressSpec;
import dev.berth.kernel.netlink.BridgeSpec;
import dev.berth.kernel.netlink.Link;
import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netlink.VethSpec;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.sysctl.Sysctl;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The kernel floor of {@code network connect}: the rtnetlink and sysctl steps berthd's bridge
 * driver makes for one connect of a sandbox to a network, made directly from Java with Berth's
 * own netlink code ({@code berth-kernel}), without the daemon: no HTTP, JSON, planner, store,
 * firewall or DNS. What a connect through the API costs beyond this is the daemon's.
 * <pre>
 *   nsenter --net=/run/netns/NS java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar \
 *       dev.berth.bench.ConnectFloor DIR SIZES N WARMUP
 * </pre>
 * In the calling thread's namespace (a throwaway one: the caller's job): a bridge {@code bfl0},
 * then, for each K in SIZES (ascending, e.g. {@code 1,100,1000}), sandbox namespaces under
 * {@code DIR} (bind mounts, as berthd's) each with a veth on the bridge until the bridge has K of
 * them, then WARMUP + N rounds of a probe namespace's connect (timed) and disconnect (untimed).
 *
 * <p>One connect, as {@code EndpointLinks.join} makes it: look up {@code eth1} in the probe (a
 * stale peer; none), one fused RTM_NEWLINK (veth, peer named, with its MAC and MTU, into the
 * probe's namespace, host end on the bridge), RTM_GETLINK of the host end, its
 * {@code disable_ipv6} sysctl, hairpin on, host end up, RTM_GETLINK of {@code eth1} in the probe,
 * its address, up, and one route dump (the default route check). One disconnect, as
 * {@code retirePeer} plus the link reaper: two route dumps, down, an address dump and delete, the
 * rename, the host end into the reaper's group; the group is deleted in one RTM_DELLINK every 2 s
 * by a second thread, as the reaper does while connects keep coming (it holds the RTNL lock that
 * connects wait for; when the bridge's 1024 ports are taken, a connect deletes the group first,
 * as berthd's does). Prints one JSON line per K: every connect sample in ms.
 */
public final class ConnectFloor {
    private static final int GROUP = 0x7be1;
    private static final String BRIDGE = "bfl0";

    private ConnectFloor() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ConnectFloor DIR SIZES N WARMUP");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int[] sizes = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).sorted().toArray();
        int n = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        Files.createDirectories(dir);
        List<Path> made = new ArrayList<>();
        try (RtNetlink host = RtNetlink.open(); RtNetlink reaperSocket = RtNetlink.open()) {
            Link bridge = host.createBridge(new BridgeSpec(BRIDGE, 1500, null, false));
            host.setUp(bridge.index(), true);
            host.addAddress(new AddressSpec(bridge.index(), InetAddress.ofLiteral("10.99.0.1"), 16, false));
            Path probePath = dir.resolve("probe");
            made.add(probePath);
            Thread reaper = Thread.ofPlatform().daemon(true).name("floor-reaper").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    reaperSocket.deleteGroup(GROUP);
                }
            });
            try (NetNs probe = NetNs.create(probePath); RtNetlink inProbe = RtNetlink.openIn(probe)) {
                int filled = 0;
                int round = 0; // host-end names stay unique across sizes: the reaper's group may still hold some
                for (int k : sizes) {
                    for (; filled < k; filled++) {
                        Path p = dir.resolve("s" + filled);
                        made.add(p);
                        try (NetNs ns = NetNs.create(p)) {
                            host.createVeth(new VethSpec(String.format("vfl%05d", filled), "eth0", mac(filled + 1), 1500,
                                    bridge.index(), true, ns));
                        }
                    }
                    double[] samples = new double[n];
                    for (int i = 0; i < warmup + n; i++, round++) {
                        long t0 = System.nanoTime();
                        connect(host, probe, inProbe, bridge.index(), round);
                        long t1 = System.nanoTime();
                        disconnect(host, inProbe, round);
                        if (i >= warmup) {
                            samples[i - warmup] = (t1 - t0) / 1e6;
                        }
                    }
                    StringBuilder json = new StringBuilder("{\"k\":" + k + ",\"samples_ms\":[");
                    for (int i = 0; i < n; i++) {
                        json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", samples[i]));
                    }
                    System.out.println(json.append("]}"));
                    System.out.flush();
                }
            } finally {
                reaper.interrupt();
                reaper.join();
                host.deleteGroup(GROUP);
                host.deleteLink(BRIDGE);
                for (Path p : made) {
                    NetNs.delete(p); // the sandboxes' veths go with their namespaces
                }
                NetNs.releaseDirectory(dir);
            }
        }
    }

    private static void connect(RtNetlink host, NetNs probe, RtNetlink inProbe, int bridge, int round) {
        String hostEnd = "vflp" + (round % 100000);
        inProbe.link("eth1").ifPresent(stale -> inProbe.deleteLink(stale.index()));
        VethSpec spec = new VethSpec(hostEnd, "eth1", mac(0xfffff), 1500, bridge, false, probe);
        Link created;
        try {
            created = host.createVeth(spec);
        } catch (KernelException full) {
            if (full.errno() != Errno.EXFULL) {
                throw full;
            }
            host.deleteGroup(GROUP); // the bridge's 1024 ports are taken: drain the retired ones, as berthd does
            created = host.createVeth(spec);
        }
        Sysctl.writeIfPresent("net/ipv6/conf/" + hostEnd + "/disable_ipv6", "1");
        host.setBridgePortHairpin(created.index(), true);
        host.setUp(created.index(), true);
        Link peer = inProbe.link("eth1").orElseThrow();
        inProbe.addAddress(new AddressSpec(peer.index(), InetAddress.ofLiteral("10.99.255.254"), 16, false));
        inProbe.setUp(peer.index(), true);
        inProbe.routes(2);
    }

    private static void disconnect(RtNetlink host, RtNetlink inProbe, int round) {
        Link peer = inProbe.link("eth1").orElseThrow();
        inProbe.routes(2);
        inProbe.routes(10);
        inProbe.setUp(peer.index(), false);
        for (var a : inProbe.addresses(peer.index())) {
            inProbe.deleteAddress(peer.index(), a.address(), a.prefixLength());
        }
        inProbe.setName(peer.index(), "gone" + (round % 100000));
        host.setGroup("vflp" + (round % 100000), GROUP);
    }

    private static byte[] mac(int n) {
        return new byte[] {0x02, 0x42, 0x0a, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }
}
