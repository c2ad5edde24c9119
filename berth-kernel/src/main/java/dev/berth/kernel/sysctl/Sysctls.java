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
    };

    /** {@link Sysctl#read(String)}: the calling thread's namespace. */
    String read(String key);

    /** {@link Sysctl#write(String, String)}: the calling thread's namespace. */
    void write(String key, String value);

    /** {@link Sysctl#writeIfPresent(String, String)}: a key the kernel lacks is no error. */
    boolean writeIfPresent(String key, String value);

    /** {@link Sysctl#write(NetNs, String, String)}: inside {@code ns}. */
    void write(NetNs ns, String key, String value);
}
