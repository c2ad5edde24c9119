package dev.berth.daemon.process;

import dev.berth.core.errors.InternalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the launcher reads from {@code /proc} about processes it did not start in this daemon. */
final class Procfs {
    private Procfs() {
    }

    /** Whether the process is PID 1 of a PID namespace other than the daemon's (a sandbox's). */
    static boolean isSandboxInit(long pid) {
        try {
            Path ns = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid"));
            return !ns.equals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")))
                    && Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .anyMatch(l -> l.startsWith("NSpid:") && l.strip().endsWith("\t1"));
        } catch (IOException e) {
            return false;
        }
    }

    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Scans {@code /proc/<pid>/ns/net} for the namespace's inode (the bind-mount file stats as the
     * nsfs inode) and SIGKILLs each match; processes that exit meanwhile or cannot be read are
     * skipped.
     */
    static void killInNamespace(String netnsPath) {
        String target;
        try {
            target = "net:[" + Files.getAttribute(Path.of(netnsPath), "unix:ino") + "]";
        } catch (IOException e) {
            return;
        }
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid != self && inNamespace(proc, target)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException e) {
            throw new InternalException("scan /proc for processes in " + netnsPath + ": " + e, e);
        }
    }

    private static boolean inNamespace(Path proc, String target) {
        try {
            return Files.readSymbolicLink(proc.resolve("ns/net")).toString().equals(target);
        } catch (IOException e) {
            return false;
        }
    }
}
