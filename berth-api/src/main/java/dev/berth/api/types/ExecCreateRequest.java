package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /containers/{id}/exec}: moby's {@code ExecOptions} as the docker CLI sends it.
 * {@code DetachKeys} is read and ignored (Berth has no detach sequence).
 *
 * @param consoleSize {@code [height, width]} of the terminal, or absent
 */
public record ExecCreateRequest(
        @JsonProperty("User") String user,
        @JsonProperty("Privileged") Boolean privileged,
        @JsonProperty("Tty") Boolean tty,
        @JsonProperty("ConsoleSize") List<Integer> consoleSize,
        @JsonProperty("AttachStdin") Boolean attachStdin,
        @JsonProperty("AttachStderr") Boolean attachStderr,
        @JsonProperty("AttachStdout") Boolean attachStdout,
        @JsonProperty("DetachKeys") String detachKeys,
        @JsonProperty("Env") List<String> env,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonProperty("Cmd") List<String> cmd) {
}
