package dev.berth.daemon.driver.bridge;

import dev.berth.kernel.netns.NetNs;
import java.util.Random;

/**
 * A bridge driver on fakes, for drivers built over it (the overlay driver's test): the host's
 * rtnetlink ({@link #host}), one rtnetlink every sandbox namespace opens ({@link #sandbox}; a
 * sandbox's veth peer lands there) and the sysctls.
 */
public final class FakeHost implements AutoCloseable {
    public final FakeRtnl host = new FakeRtnl();
    public final FakeRtnl sandbox = new FakeRtnl();
    public final FakeSysctls sysctls = new FakeSysctls();
    /** A real handle on the test's own namespace, only as the token the fake passes around; nothing enters it. */
    private final NetNs token = NetNs.current();
    private final LinkReaper reaper = new LinkReaper(host);
    public final BridgeDriver bridge;

    public FakeHost() {
        host.peers = sandbox;
        bridge = new BridgeDriver(host, reaper, new Random(42), new SandboxSockets(path -> {
            sandbox.closed = false;
            return new SandboxSockets.Handle(token, sandbox);
        }), sysctls);
    }

    @Override
    public void close() {
        bridge.close();
        reaper.close();
        token.close();
    }
}
