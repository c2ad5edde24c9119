package dev.berth.daemon.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ps -ef} over {@code /proc} for the processes of one PID namespace ({@code docker top}):
 * the columns {@code UID PID PPID C STIME TTY TIME CMD} as procps prints them, host PIDs and the
 * host's user names, as moby shows them (it runs the host's {@code ps} and keeps the container's rows).
 */
final class ProcessTable {
    static final List<String> TITLES = List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
    /** USER_HZ: the unit of the times in {@code /proc/<pid>/stat} on Linux. */
    private static final long HZ = 100;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMMdd", Locale.ROOT);

    private final Path proc;
    private final Path passwd;

    ProcessTable(Path proc, Path passwd) {
        this.proc = proc;
        this.passwd = passwd;
    }

    static ProcessTable host() {
        return new ProcessTable(Path.of("/proc"), Path.of("/etc/passwd"));
    }

    /** The rows of every process in the PID namespace of {@code pid}, by PID; empty when it is gone. */
    List<List<String>> rows(long pid, Instant now, ZoneId zone) throws IOException {
        String namespace = namespace(pid);
        if (namespace == null) {
            return List.of();
        }
        long bootSeconds = bootTime();
        Map<String, String> users = users();
        List<Long> found = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path entry : entries) {
                long n = Long.parseLong(entry.getFileName().toString());
                if (namespace.equals(namespace(n))) {
                    found.add(n);
                }
            }
        }
        found.sort(Comparator.naturalOrder());
        for (long n : found) {
            List<String> row = row(n, bootSeconds, users, now, zone);
            if (row != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    private String namespace(long pid) {
        try {
            return Files.readSymbolicLink(proc.resolve(pid + "/ns/pid")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private List<String> row(long pid, long bootSeconds, Map<String, String> users, Instant now, ZoneId zone) {
        try {
            String stat = Files.readString(proc.resolve(pid + "/stat"));
            String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            // fields after "comm": state(3) ppid(4) ... tty_nr(7) ... utime(14) stime(15) ... starttime(22)
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ppid = Long.parseLong(f[1]);
            int tty = Integer.parseInt(f[4]);
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long startTicks = Long.parseLong(f[19]);
            Instant started = Instant.ofEpochMilli(bootSeconds * 1000 + startTicks * 1000 / HZ);
            long elapsed = Math.max(1, Duration.between(started, now).toSeconds());
            long cpu = ticks / HZ * 100 / elapsed;
            String uid = uid(Files.readAllLines(proc.resolve(pid + "/status")));
            byte[] cmdline = Files.readAllBytes(proc.resolve(pid + "/cmdline"));
            String cmd = printable(new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').strip());
            return List.of(users.getOrDefault(uid, uid), Long.toString(pid), Long.toString(ppid), Long.toString(cpu),
                    startTime(started, now, zone), tty(tty), time(ticks / HZ),
                    cmd.isEmpty() ? "[" + printable(comm) + "]" : cmd);
        } catch (IOException | RuntimeException e) {
            // it ended while we read it
            return null;
        }
    }

    /** As procps shows a command: each control character (a newline in an argument, say) as {@code ?}. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static String uid(List<String> status) {
        for (String line : status) {
            if (line.startsWith("Uid:")) {
                return line.substring(4).strip().split("\\s+")[0];
            }
        }
        return "?";
    }

    /** procps: {@code HH:MM} within the last 24 hours, else {@code MmmDD}, else the year. */
    static String startTime(Instant started, Instant now, ZoneId zone) {
        ZonedDateTime at = started.atZone(zone);
        if (Duration.between(started, now).toHours() < 24) {
            return CLOCK.format(at);
        }
        if (at.getYear() == LocalDate.ofInstant(now, zone).getYear()) {
            return DAY.format(at);
        }
        return Integer.toString(at.getYear());
    }

    /** {@code ?}, {@code pts/N} or {@code ttyN} from {@code tty_nr}. */
    static String tty(int ttyNr) {
        if (ttyNr == 0) {
            return "?";
        }
        int major = (ttyNr >> 8) & 0xfff;
        int minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
        if (major >= 136 && major <= 143) {
            return "pts/" + ((major - 136) * 256 + minor);
        }
        if (major == 4) {
            return "tty" + minor;
        }
        return "?";
    }

    /** Cumulative CPU time as {@code [DD-]HH:MM:SS}. */
    static String time(long seconds) {
        long days = seconds / 86400;
        String clock = String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
        return days > 0 ? days + "-" + clock : clock;
    }

    private long bootTime() throws IOException {
        for (String line : Files.readAllLines(proc.resolve("stat"))) {
            if (line.startsWith("btime ")) {
                return Long.parseLong(line.substring(6).strip());
            }
        }
        throw new IOException("no btime in " + proc.resolve("stat"));
    }

    private Map<String, String> users() {
        Map<String, String> users = new HashMap<>();
        try {
            for (String line : Files.readAllLines(passwd)) {
                String[] f = line.split(":");
                if (f.length > 2) {
                    users.putIfAbsent(f[2], f[0]);
                }
            }
        } catch (IOException e) {
            // numeric ids then
            return users;
        }
        return users;
    }
}
