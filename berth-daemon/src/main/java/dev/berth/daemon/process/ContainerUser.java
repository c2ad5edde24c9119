package dev.berth.daemon.process;

import dev.berth.core.errors.InvalidParameterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The uid, gid, supplementary groups and home of a container's process, resolved from its user
 * setting ({@code ""}, {@code name}, {@code uid}, {@code uid:gid}, {@code name:group}, ...)
 * through the root filesystem's {@code /etc/passwd} and {@code /etc/group}, as Docker resolves
 * it (moby's {@code getUser} over runc's {@code user.GetExecUser}): a name must be in
 * {@code passwd}, a number need not be (gid 0 then); a group given by name must be in
 * {@code group}; the supplementary groups are the primary group (moby's fix of CVE-2022-36109: a
 * file readable by the primary group stays readable after a {@code setgroups}) then, when no group
 * is given, those of {@code group} that list the user's name; the home is the entry's, else {@code /}.
 */
record ContainerUser(long uid, long gid, List<Long> additionalGids, String home) {
    static final ContainerUser ROOT = new ContainerUser(0, 0, List.of(0L), "/root");

    ContainerUser {
        additionalGids = List.copyOf(additionalGids);
    }

    /** A {@code passwd} or {@code group} line: name, id and (for group) its members. */
    private record Entry(String name, long id, long gid, String home, List<String> members) {
    }

    /** Resolves {@code user} in the root filesystem {@code rootfs}. */
    static ContainerUser resolve(Path rootfs, String user) {
        List<Entry> passwd = read(rootfs.resolve("etc/passwd"), false);
        List<Entry> groups = read(rootfs.resolve("etc/group"), true);
        String spec = user == null ? "" : user;
        String userPart = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        String groupPart = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : null;
        if (userPart.isEmpty()) {
            userPart = "0";
        }
        Optional<Entry> found = find(passwd, userPart);
        long uid;
        long gid;
        String home;
        String name;
        if (found.isPresent()) {
            uid = found.get().id();
            gid = found.get().gid();
            home = found.get().home();
            name = found.get().name();
        } else if (isNumber(userPart)) {
            uid = Long.parseLong(userPart);
            gid = 0;
            home = "/";
            name = null;
        } else {
            throw new InvalidParameterException("unable to find user " + userPart + ": no matching entries in passwd file");
        }
        if (groupPart != null && !groupPart.isEmpty()) {
            Optional<Entry> group = find(groups, groupPart);
            if (group.isPresent()) {
                gid = group.get().id();
            } else if (isNumber(groupPart)) {
                gid = Long.parseLong(groupPart);
            } else {
                throw new InvalidParameterException("unable to find group " + groupPart
                        + ": no matching entries in group file");
            }
        }
        List<Long> additional = new ArrayList<>(List.of(gid));
        if (name != null && groupPart == null) {
            for (Entry g : groups) {
                if (g.members().contains(name) && g.id() != gid && !additional.contains(g.id())) {
                    additional.add(g.id());
                }
            }
        }
        return new ContainerUser(uid, gid, additional, home.isEmpty() ? "/" : home);
    }

    /** The entry named {@code key}, else (a number) the first with that id. */
    private static Optional<Entry> find(List<Entry> entries, String key) {
        Optional<Entry> byName = entries.stream().filter(e -> e.name().equals(key)).findFirst();
        if (byName.isPresent() || !isNumber(key)) {
            return byName;
        }
        long id = Long.parseLong(key);
        return entries.stream().filter(e -> e.id() == id).findFirst();
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() < 11 && s.chars().allMatch(Character::isDigit);
    }

    /**
     * The entries of a {@code passwd} ({@code name:x:uid:gid:gecos:home:shell}) or {@code group}
     * ({@code name:x:gid:member,member}) file; a missing file has none, a malformed line is skipped.
     * The file is read as it lies in the root filesystem without following a symbolic link out of
     * it: a link (the file or {@code /etc}) is refused (treated as missing), as the image's content
     * is not trusted and an absolute link would name the host's file.
     */
    private static List<Entry> read(Path file, boolean group) {
        List<String> lines;
        try {
            if (Files.isSymbolicLink(file) || Files.isSymbolicLink(file.getParent())) {
                return List.of();
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(":", -1);
            try {
                if (group && f.length >= 4) {
                    List<String> members = f[3].isEmpty() ? List.of() : List.of(f[3].split(","));
                    entries.add(new Entry(f[0], Long.parseLong(f[2]), Long.parseLong(f[2]), "", members));
                } else if (!group && f.length >= 6) {
                    entries.add(new Entry(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), f[5], List.of()));
                }
            } catch (NumberFormatException e) {
                // skipped, as runc's parser skips it
                continue;
            }
        }
        return entries;
    }
}
