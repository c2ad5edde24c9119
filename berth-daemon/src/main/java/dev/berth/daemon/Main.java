package dev.berth.daemon;

import dev.berth.daemon.config.ConfigException;
import dev.berth.daemon.config.ConfigLoader;
import dev.berth.daemon.config.DaemonFlags;
import dev.berth.daemon.config.LogSetup;
import dev.berth.daemon.host.JitPriority;
import java.util.Arrays;

/** {@code berthd}: parses the command line, then runs the daemon until SIGTERM or SIGINT. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        DaemonFlags flags;
        ConfigLoader.Loaded loaded;
        JitPriority jit;
        try {
            flags = DaemonFlags.parse(Arrays.asList(args));
            if (flags.action() == DaemonFlags.Action.HELP) {
                System.out.print(DaemonFlags.USAGE);
                return 0;
            }
            if (flags.action() == DaemonFlags.Action.VERSION) {
                System.out.println("Berth version " + Daemon.version());
                return 0;
            }
            // The JIT compilers yield to the start-up until the daemon serves (see JitPriority).
            jit = flags.action() == DaemonFlags.Action.RUN ? JitPriority.lowerForStartUp() : null;
            loaded = ConfigLoader.load(flags);
        } catch (ConfigException e) {
            System.err.println("berthd: " + e.getMessage());
            return 1;
        }
        if (flags.action() == DaemonFlags.Action.VALIDATE) {
            System.out.println("configuration OK");
            return 0;
        }
        LogSetup.configure(loaded.config().logging());
        return Daemon.runUntilStopped(flags, loaded, jit);
    }
}
