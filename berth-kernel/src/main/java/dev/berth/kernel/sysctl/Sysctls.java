package dev.berth.kernel.sysctl;

import dev.berth.kernel.netns.NetNs;

/**
 * The seam over {@link Sysctl}'s static entry points: code that writes sysctls takes a
 * {@code Sysctls} (by default {@link #KERNEL}, the real {@code /proc/sys}) so its unit tests can
 * pass a fake and never touch the machine's settings.
 */
public interface Sysctls {
    /** The real {@code /proc/sys}, through {@link Sysctl}. */
    Sysctls KERNEL = new Sysctls() {
        @Override
        public String read(String key) {
            return Sysctl.read(key);
        }

        @Override
        public void write(String key, String value) {
            Sysctl.write(key, value);
        }

        @Override
        public boolean writeIfPresent(String key, String value) {
            return Sysctl.writeIfPresent(key, value);
        }

        @Override
        public void write(NetNs ns, String key, String value) {
            Sysctl.write(ns, key, value);
        }

        @Override
        public SysctlDir dir(String key) {
            return SysctlDir.open(key);
        }

        @Override
        public SysctlDir dir(NetNs ns, String key) {
            Sysctl.path(key);
            return ns.call(() -> SysctlDir.open(key));
        }

        @Override
        public boolean writeIfPresent(SysctlDir dir, String rel, String value) {
            return dir.writeIfPresent(rel, value);
        }

        @Override
        public void write(NetNs ns, SysctlDir dir, String rel, String value) {
            ns.run(() -> dir.write(rel, value));
        }
    };

    /** {@link Sysctl#read(String)}: the calling thread's namespace. */
    String read(String key);

    /** {@link Sysctl#write(String, String)}: the calling thread's namespace. */
    void write(String key, String value);

    /** {@link Sysctl#writeIfPresent(String, String)}: a key the kernel lacks is no error. */
    boolean writeIfPresent(String key, String value);

    /** {@link Sysctl#write(NetNs, String, String)}: inside {@code ns}. */
    void write(NetNs ns, String key, String value);

    /**
     * The directory {@code key} of the calling thread's namespace, for repeated writes below it
     * ({@link SysctlDir}: the real one opens it once; by default an unopened one, whose writes come
     * back here by their full keys). The caller closes it.
     */
    default SysctlDir dir(String key) {
        return SysctlDir.unopened(key);
    }

    /** {@link #dir(String)} of {@code ns}: used only through {@link #write(NetNs, SysctlDir, String, String)}. */
    default SysctlDir dir(NetNs ns, String key) {
        return SysctlDir.unopened(key);
    }

    /** {@link #writeIfPresent(String, String)} of {@code rel} below {@code dir}. */
    default boolean writeIfPresent(SysctlDir dir, String rel, String value) {
        return writeIfPresent(dir.key(rel), value);
    }

    /** {@link #write(NetNs, String, String)} of {@code rel} below {@code dir}, a directory of {@code ns}. */
    default void write(NetNs ns, SysctlDir dir, String rel, String value) {
        write(ns, dir.key(rel), value);
    }
}
