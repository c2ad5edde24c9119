package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /exec/{id}/start}: moby's {@code ExecStartOptions}.
 *
 * @param consoleSize {@code [height, width]} of the terminal, or absent
 */
public record ExecStartRequest(
        @JsonProperty("Detach") Boolean detach,
        @JsonProperty("Tty") Boolean tty,
        @JsonProperty("ConsoleSize") List<Integer> consoleSize) {
}
