package dev.berth.daemon.image;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Overlay mounts of container roots, and whether one is there ({@code /proc/self/mountinfo}). */
final class Overlay {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** Mounts an overlay on {@code merged}: {@code lower} (top first, ':'-joined), the upper and work dirs. */
    void mount(Path merged, String lower, Path upper, Path work) {
        String options = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
        Libc.mount("overlay", merged.toString(), "overlay", 0, options);
    }

    /** Unmounts {@code merged} (every mount stacked there); nothing mounted is fine. */
    void unmount(Path merged) throws IOException {
        for (int tries = 0; isMounted(merged); tries++) {
            if (tries == 16) {
                throw new IOException("still mounted after " + tries + " unmounts: " + merged);
            }
            try {
                Libc.umount2(merged.toString(), 0);
            } catch (KernelException e) {
                if (e.isErrno(Errno.EBUSY)) {
                    Libc.umount2(merged.toString(), Libc.MNT_DETACH);
                } else if (!e.isErrno(Errno.EINVAL) && !e.isErrno(Errno.ENOENT)) {
                    throw e;
                }
            }
        }
    }

    /** Whether {@code dir} is a mount point in this process's mount namespace. */
    boolean isMounted(Path dir) throws IOException {
        String wanted = dir.toAbsolutePath().normalize().toString();
        List<String> lines = Files.readAllLines(MOUNTINFO);
        for (String line : lines) {
            String[] fields = line.split(" ", 6);
            if (fields.length > 4 && unescape(fields[4]).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal {@code \ooo}. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
