package dev.berth.daemon.api;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ProcessLauncher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A launcher that runs nothing but acts out a few commands, for API tests with the docker CLI:
 * {@code sh -c 'exit N'} ends at once with N; a command named {@code nosuch} fails to start with
 * runc's words; {@code sh -c 'trap ...'} survives SIGTERM; anything else runs until a signal
 * whose default action ends it (128 + signal) or SIGKILL (137).
 */
final class ScriptedLauncher implements ProcessLauncher {
    private static final Pattern EXIT = Pattern.compile("exit (\\d+)");
    private static final Set<Integer> TERMINATING = Set.of(1, 2, 3, 6, 9, 10, 12, 13, 14, 15);

    private record Running(long pid, Launch launch, IntConsumer onExit) {
    }

    private final Map<SandboxId, Running> running = new HashMap<>();
    final List<Launch> launched = new ArrayList<>();
    final List<String> signals = new ArrayList<>();
    private long nextPid = 1000;

    @Override
    public synchronized long start(Launch launch, IntConsumer onExit) {
        List<String> argv = launch.command();
        if (argv.getFirst().equals("nosuch")) {
            throw new InvalidParameterException("failed to create task for container: OCI runtime create failed:"
                    + " runc create failed: unable to start container process: exec: \"nosuch\": executable file"
                    + " not found in $PATH: unknown");
        }
        launched.add(launch);
        long pid = nextPid++;
        running.put(launch.id(), new Running(pid, launch, onExit));
        Matcher m = EXIT.matcher(argv.getLast());
        if (argv.size() == 3 && argv.get(1).equals("-c") && !argv.get(2).contains("trap") && m.find()) {
            int code = Integer.parseInt(m.group(1));
            CompletableFuture.runAsync(() -> end(launch.id(), pid, code));
        }
        return pid;
    }

    private void end(SandboxId id, long pid, int code) {
        Running r;
        synchronized (this) {
            r = running.get(id);
            if (r == null || r.pid() != pid) {
                return;
            }
            running.remove(id);
        }
        r.onExit().accept(code);
    }

    @Override
    public void signal(SandboxId id, int signal) {
        Running r;
        synchronized (this) {
            signals.add(signal + "");
            r = running.get(id);
        }
        if (r == null || !TERMINATING.contains(signal)) {
            return;
        }
        boolean traps = String.join(" ", r.launch().command()).contains("trap");
        if (traps && signal == 15) {
            CompletableFuture.runAsync(() -> end(id, r.pid(), 143));
            return;
        }
        CompletableFuture.runAsync(() -> end(id, r.pid(), 128 + signal));
    }

    @Override
    public void kill(SandboxId id) {
        Running r;
        synchronized (this) {
            r = running.get(id);
        }
        if (r != null) {
            end(id, r.pid(), 137);
        }
    }

    @Override
    public void updateFiles(FilesUpdate update) {
    }

    @Override
    public Adopted adopt(SandboxId id, IntConsumer onExit) {
        return new Adopted(false, 0, UNKNOWN_EXIT, null, null);
    }

    @Override
    public void killInNamespace(String netnsPath) {
    }

    @Override
    public void removeOthers(Set<SandboxId> known) {
    }

    @Override
    public String logPath(SandboxId id) {
        return "/var/lib/berth/containers/" + id.value() + "/ctr.log";
    }

    @Override
    public void deleteFiles(SandboxId id) {
    }
}
