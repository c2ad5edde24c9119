package dev.berth.daemon.api;

import dev.berth.core.errors.InvalidParameterException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Optional;

/**
 * The group that may use the API socket ({@code -G/--group}, daemon.json {@code group}), resolved
 * as dockerd does: a group name or a numeric gid; the default group ({@code docker}) may be
 * missing, and then the socket keeps the daemon's own group with a warning; a group the user
 * named that does not exist stops start-up; an empty name means the daemon's own group.
 *
 * @param group   the group to give the socket, empty for the daemon's own
 * @param warning what to log, if anything
 */
public record SocketGroup(Optional<GroupPrincipal> group, Optional<String> warning) {
    /** dockerd's default, kept so a Docker host's socket users can use Berth's socket too. */
    public static final String DEFAULT = "docker";

    /** Looks the group up now, so a missing one stops start-up before anything is changed. */
    public static SocketGroup resolve(String name) {
        if (name.isEmpty()) {
            return new SocketGroup(Optional.empty(), Optional.empty());
        }
        try {
            // The JDK looks the name up with getgrnam and falls back to reading it as a number.
            return new SocketGroup(Optional.of(FileSystems.getDefault().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(name)), Optional.empty());
        } catch (UserPrincipalNotFoundException e) {
            if (name.equals(DEFAULT)) {
                return new SocketGroup(Optional.empty(), Optional.of("could not change group of the API socket to "
                        + DEFAULT + ": group " + DEFAULT + " not found; only root may use the socket"));
            }
            throw new InvalidParameterException("group " + name + " not found (the API socket's group, set by "
                    + "-G/--group or daemon.json \"group\")");
        } catch (IOException e) {
            throw new InvalidParameterException("look up group " + name + ": " + e.getMessage(), e);
        }
    }

    /** The daemon's own group (tests). */
    public static SocketGroup own() {
        return new SocketGroup(Optional.empty(), Optional.empty());
    }
}
