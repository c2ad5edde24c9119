package dev.berth.core.service.sandbox;

import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.ImageStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Images by name and id in memory; root filesystems are directory names it records. */
final class FakeImageStore implements ImageStore {
    final Map<String, Image> images = new LinkedHashMap<>();
    final Map<SandboxId, String> mounted = new HashMap<>();
    final List<SandboxId> released = new ArrayList<>();
    final List<Set<SandboxId>> kept = new ArrayList<>();

    /** Busybox as Docker Hub has it: {@code CMD ["sh"]}, PATH set. */
    static final Image BUSYBOX = new Image("sha256:" + "b".repeat(64), List.of("busybox:latest"), List.of(),
            List.of("sh"), List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), "", "",
            Map.of(), "", List.of());

    FakeImageStore add(Image image) {
        image.repoTags().forEach(t -> images.put(t, image));
        images.put(image.id(), image);
        return this;
    }

    @Override
    public Optional<Image> find(String reference) {
        String r = reference.startsWith("docker.io/library/") ? reference.substring(18) : reference;
        int slash = r.lastIndexOf('/');
        if (!r.startsWith("sha256:") && r.indexOf(':', slash + 1) < 0) {
            r = r + ":latest";
        }
        return Optional.ofNullable(images.get(r));
    }

    @Override
    public synchronized String mountRootfs(SandboxId id, String imageId) {
        return mounted.computeIfAbsent(id, x -> "/rootfs/" + x.shortId() + "/" + imageId.substring(7, 19));
    }

    @Override
    public synchronized void releaseRootfs(SandboxId id) {
        mounted.remove(id);
        released.add(id);
    }

    @Override
    public synchronized void releaseOthers(Set<SandboxId> known) {
        kept.add(Set.copyOf(known));
        mounted.keySet().retainAll(known);
    }
}
