package dev.berth.daemon.api;

import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ImageStore;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One image, {@code busybox:latest} ({@code CMD ["sh"]}, a label); root filesystems are names it records. */
final class FakeImages implements ImageStore {
    static final Image BUSYBOX = new Image("sha256:" + "e".repeat(64), List.of("busybox:latest"), List.of(),
            List.of("sh"), List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), "", "",
            Map.of("org.example.base", "busybox"), "", List.of());
    final Set<SandboxId> mounted = new HashSet<>();

    @Override
    public Optional<Image> find(String reference) {
        return switch (reference) {
            case "busybox", "busybox:latest", "docker.io/library/busybox:latest" -> Optional.of(BUSYBOX);
            default -> reference.equals(BUSYBOX.id()) ? Optional.of(BUSYBOX) : Optional.empty();
        };
    }

    @Override
    public synchronized String mountRootfs(SandboxId id, String imageId) {
        mounted.add(id);
        return "/var/lib/berth/rootfs/" + id.value() + "/merged";
    }

    @Override
    public synchronized void releaseRootfs(SandboxId id) {
        mounted.remove(id);
    }

    @Override
    public synchronized void releaseOthers(Set<SandboxId> known) {
        mounted.retainAll(known);
    }
}
