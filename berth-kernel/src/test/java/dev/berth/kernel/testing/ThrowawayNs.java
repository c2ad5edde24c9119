package dev.berth.kernel.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.berth.kernel.netlink.RtNetlink;
import dev.berth.kernel.netns.NetNs;

/**
 * A network namespace made for one test with {@code ip netns add bk-<random6>} and removed on
 * {@link #close()}, together with an open handle and a netlink socket inside it. Tests only ever
 * change kernel state through these sockets, never in the initial namespace.
 */
public final class ThrowawayNs implements AutoCloseable {
    private final String name;
    private final NetNs handle;
    private final RtNetlink rtnl;

    private ThrowawayNs(String name) {
        this.name = name;
        NetNs h = null;
        RtNetlink r = null;
        try {
            h = NetNs.open(Path.of("/run/netns", name));
            r = RtNetlink.openIn(h);
        } catch (RuntimeException e) {
            if (h != null) {
                h.close();
            }
            Shell.run("ip", "netns", "del", name);
            throw e;
        }
        this.handle = h;
        this.rtnl = r;
    }

    public static String randomName() {
        return "bk-" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }

    public static ThrowawayNs create() {
        String name = randomName();
        Shell.Result r = Shell.run("ip", "netns", "add", name);
        if (r.exit() != 0) {
            throw new IllegalStateException("ip netns add " + name + ": " + r.output());
        }
        return new ThrowawayNs(name);
    }

    public String name() {
        return name;
    }

    public NetNs handle() {
        return handle;
    }

    public RtNetlink rtnl() {
        return rtnl;
    }

    /** {@code ip -n <ns> args...}; fails the test on a non-zero exit. */
    public String ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        Shell.Result r = Shell.run(cmd.toArray(String[]::new));
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.output());
        }
        return r.output();
    }

    /** {@code ip netns exec <ns> args...}, returning exit status and output. */
    public Shell.Result exec(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(args));
        return Shell.run(cmd.toArray(String[]::new));
    }

    @Override
    public void close() {
        try {
            rtnl.close();
        } finally {
            try {
                handle.close();
            } finally {
                Shell.run("ip", "netns", "del", name);
            }
        }
    }

    /** Runs a command and collects its combined output. */
    public static final class Shell {
        public record Result(int exit, String output) {}

        private Shell() {}

        public static Result run(String... cmd) {
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, "timeout");
                }
                return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("run " + String.join(" ", cmd), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
            }
        }
    }
}
