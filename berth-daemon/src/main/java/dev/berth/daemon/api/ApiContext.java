package dev.berth.daemon.api;

import dev.berth.core.service.event.EventLog;
import dev.berth.core.service.network.NetworkService;
import dev.berth.core.service.sandbox.SandboxProcesses;
import dev.berth.core.service.sandbox.SandboxService;
import dev.berth.daemon.doctor.Doctor;
import dev.berth.daemon.process.ContainerIo;
import java.time.Clock;

/**
 * What the HTTP handlers need from the rest of the daemon. Grows as routes are added.
 *
 * @param networks  network use cases
 * @param sandboxes sandbox (container) use cases
 * @param events   the event log {@code /events} streams from
 * @param clock    "now" for {@code since}/{@code until} of {@code /events}
 * @param system   facts reported by {@code /version} and {@code /info}
 * @param processes the processes sandboxes run ({@code berth run})
 * @param doctor   what {@code GET /berth/doctor} runs
 * @param images   the image routes' needs; null: no {@code /images} routes
 * @param io       the streams of containers ({@code attach}, {@code exec}, {@code logs}, {@code resize})
 * @param containers what those endpoints need to know of a container
 */
public record ApiContext(NetworkService networks, SandboxService sandboxes, EventLog events, Clock clock,
                         SystemInfo system, SandboxProcesses processes, Doctor doctor, ImageContext images,
                         ContainerIo io, ContainerLookup containers) {

    /** Without container streams: {@code berth run} sandboxes' logs only, no attach or exec. */
    public ApiContext(NetworkService networks, SandboxService sandboxes, EventLog events, Clock clock,
                      SystemInfo system, SandboxProcesses processes, Doctor doctor, ImageContext images) {
        this(networks, sandboxes, events, clock, system, processes, doctor, images, new NoContainerIo(),
                ContainerLookup.over(sandboxes, processes));
    }

    /** Without images. */
    public ApiContext(NetworkService networks, SandboxService sandboxes, EventLog events, Clock clock,
                      SystemInfo system, SandboxProcesses processes, Doctor doctor) {
        this(networks, sandboxes, events, clock, system, processes, doctor, null);
    }

    /** Without a doctor: {@code /berth/doctor} finds nothing. */
    public ApiContext(NetworkService networks, SandboxService sandboxes, EventLog events, Clock clock,
                      SystemInfo system, SandboxProcesses processes) {
        this(networks, sandboxes, events, clock, system, processes, Doctor.none());
    }

    /** Without processes: a sandbox with a command is refused. */
    public ApiContext(NetworkService networks, SandboxService sandboxes, EventLog events, Clock clock,
                      SystemInfo system) {
        this(networks, sandboxes, events, clock, system, SandboxProcesses.withoutProcesses(sandboxes, clock));
    }

    /** With the network service's own event log and the system clock, without processes. */
    public ApiContext(NetworkService networks, SandboxService sandboxes, SystemInfo system) {
        this(networks, sandboxes, networks.events(), Clock.systemUTC(), system);
    }
}
