package dev.berth.kernel.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.berth.kernel.ffm.Errno;
import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.ffm.Libc;

/**
 * Prepares the directory that holds namespace bind mounts the way {@code ip netns add} does, so
 * that mounts made later also appear in mount namespaces copied from ours (for example the one
 * {@code ip netns exec} creates): the directory must be a mount point with shared propagation.
 * Making a non-mount-point shared fails with EINVAL, so it is first bind-mounted onto itself.
 */
final class NsMounts {
    private NsMounts() {}

    static void prepareParent(Path dir, String action) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KernelException(action, "cannot create directory " + dir + ": " + e);
        }
        String d = dir.toString();
        try {
            makeShared(d);
        } catch (KernelException e) {
            if (!e.isErrno(Errno.EINVAL)) {
                throw e.during(action);
            }
            try {
                Libc.mount(d, d, "none", Libc.MS_BIND | Libc.MS_REC);
                makeShared(d);
            } catch (KernelException again) {
                throw again.during(action);
            }
        }
    }

    private static void makeShared(String dir) {
        Libc.mount("", dir, "none", Libc.MS_SHARED | Libc.MS_REC);
    }
}
