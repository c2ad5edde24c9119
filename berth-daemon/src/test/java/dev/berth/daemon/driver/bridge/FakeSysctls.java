package dev.berth.daemon.driver.bridge;

import dev.berth.kernel.ffm.KernelException;
import dev.berth.kernel.netns.NetNs;
import dev.berth.kernel.sysctl.Sysctls;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Sysctls in a map: reads give what was written (or {@code "0"}); writes are recorded, never reach
 * /proc. Public for the overlay driver's test.
 */
public final class FakeSysctls implements Sysctls {
    public final Map<String, String> values = new ConcurrentHashMap<>();
    public final List<String> writes = new CopyOnWriteArrayList<>();
    /** Keys whose write in a sandbox the kernel refuses, with the errno it gives. */
    final Map<String, Integer> refused = new ConcurrentHashMap<>();

    @Override
    public String read(String key) {
        return values.getOrDefault(key, "0");
    }

    @Override
    public void write(String key, String value) {
        writes.add(key + "=" + value);
        values.put(key, value);
    }

    @Override
    public boolean writeIfPresent(String key, String value) {
        write(key, value);
        return true;
    }

    @Override
    public void write(NetNs ns, String key, String value) {
        Integer errno = refused.get(key);
        if (errno != null) {
            throw new KernelException("write sysctl " + key + "=" + value, errno);
        }
        writes.add("sandbox:" + key + "=" + value);
    }
}
