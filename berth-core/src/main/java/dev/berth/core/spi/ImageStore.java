package dev.berth.core.spi;

import dev.berth.core.model.SandboxId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the container use cases need of the local images: find one by the name a user gives, and
 * give a container a root filesystem made of it (an overlay: the image's layers read-only below, a
 * directory of the container's own above, as Docker's overlay2 does). Loading, importing, pulling,
 * tagging and removing images are the image store's own business (the daemon's {@code daemon.image}
 * and its API endpoints); this port is the part the core calls.
 */
public interface ImageStore {

    /**
     * An image's run-time defaults (its config's {@code config} object) and identity.
     *
     * @param id           {@code sha256:<hex>} of the image config
     * @param repoTags     its names, e.g. {@code busybox:latest}
     * @param entrypoint   {@code Entrypoint}, may be empty
     * @param cmd          {@code Cmd}, may be empty
     * @param env          {@code Env}, {@code KEY=VALUE}
     * @param workingDir   {@code WorkingDir}, {@code ""} when unset
     * @param user         {@code User}, {@code ""} when unset
     * @param labels       {@code Labels}
     * @param stopSignal   {@code StopSignal}, {@code ""} when unset
     * @param exposedPorts {@code ExposedPorts} keys, e.g. {@code 80/tcp}
     */
    record Image(String id, List<String> repoTags, List<String> entrypoint, List<String> cmd, List<String> env,
                 String workingDir, String user, Map<String, String> labels, String stopSignal,
                 List<String> exposedPorts) {
        public Image {
            repoTags = List.copyOf(repoTags);
            entrypoint = List.copyOf(entrypoint);
            cmd = List.copyOf(cmd);
            env = List.copyOf(env);
            workingDir = workingDir == null ? "" : workingDir;
            user = user == null ? "" : user;
            labels = Map.copyOf(labels);
            stopSignal = stopSignal == null ? "" : stopSignal;
            exposedPorts = List.copyOf(exposedPorts);
        }
    }

    /**
     * The image a reference names, as dockerd resolves it: {@code name[:tag]} (tag {@code latest}
     * when none; {@code docker.io/library/} prefixes are the same name), {@code name@sha256:...},
     * a full id {@code sha256:<hex>}, or an unambiguous prefix of the id's hex. Empty when none.
     */
    Optional<Image> find(String reference);

    /**
     * Mounts the root filesystem of container {@code id} made from image {@code imageId} and returns
     * the mounted directory. Idempotent: a container whose rootfs is mounted already (a daemon
     * that restarted) gets the same directory, and its upper directory (what the container wrote)
     * is kept until {@link #releaseRootfs}.
     */
    String mountRootfs(SandboxId id, String imageId);

    /** Unmounts and deletes the container's root filesystem and what it wrote. Succeeds when gone. */
    void releaseRootfs(SandboxId id);

    /**
     * At start-up: unmounts and deletes every container root filesystem not in {@code known} (a
     * removal that a crash cut short).
     */
    void releaseOthers(java.util.Set<SandboxId> known);
}
