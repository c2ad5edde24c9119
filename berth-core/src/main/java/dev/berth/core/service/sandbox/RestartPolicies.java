package dev.berth.core.service.sandbox;

import dev.berth.core.model.ContainerConfig;
import java.time.Duration;

/**
 * Docker's restart rules (moby's {@code restartmanager}): whether a container that exited starts
 * again, and after how long. The delay starts at 100 ms and doubles with each restart up to one
 * minute; a run of 10 s or more resets it. {@code always} restarts whatever the exit status and
 * whoever stopped it (but {@code docker stop}/{@code kill} end the current run for good: the
 * caller does not ask then); {@code unless-stopped} alike unless the user stopped it;
 * {@code on-failure[:N]} after a non-zero status, at most N times (0: no limit).
 */
final class RestartPolicies {
    static final long FIRST_DELAY_MILLIS = 100;
    static final long MAX_DELAY_MILLIS = 60_000;
    private static final Duration RESET_AFTER = Duration.ofSeconds(10);

    private RestartPolicies() {
    }

    /** Whether a container with {@code policy} that exited with {@code exitCode} starts again. */
    static boolean shouldRestart(ContainerConfig.RestartPolicy policy, int exitCode, boolean stoppedByUser,
                                 int restartCount) {
        return switch (policy.name()) {
            case "always" -> true;
            case "unless-stopped" -> !stoppedByUser;
            case "on-failure" -> exitCode != 0
                    && (policy.maximumRetryCount() == 0 || restartCount < policy.maximumRetryCount());
            default -> false;
        };
    }

    /** The next delay after {@code previous} (0: none yet) for a run that lasted {@code ran}. */
    static long nextDelay(long previous, Duration ran) {
        long base = ran != null && ran.compareTo(RESET_AFTER) >= 0 ? 0 : previous;
        return base == 0 ? FIRST_DELAY_MILLIS : Math.min(base * 2, MAX_DELAY_MILLIS);
    }
}
