package dev.berth.core.service.sandbox;

import java.util.Objects;

/**
 * One host binding of {@code HostConfig.PortBindings}, as the client sent it:
 * {@code "80/tcp": [{"HostIp": "", "HostPort": "8080"}]} is {@code new PortRequest("80/tcp", "", "8080")}.
 *
 * @param port     {@code <port>[/<proto>]}, proto {@code tcp} (default) or {@code udp}
 * @param hostIp   empty for the network's default, else an address literal ({@code ::} and
 *                 {@code [::1]} forms accepted)
 * @param hostPort empty or {@code 0} for an ephemeral port, a number, or a range {@code a-b}
 *                 (the first free port in it)
 */
public record PortRequest(String port, String hostIp, String hostPort) {
    public PortRequest {
        Objects.requireNonNull(port, "port");
        hostIp = hostIp == null ? "" : hostIp;
        hostPort = hostPort == null ? "" : hostPort;
    }
}
