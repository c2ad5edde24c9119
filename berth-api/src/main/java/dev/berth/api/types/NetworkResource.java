package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * A network as the Engine API shows it ({@code GET /networks}, {@code GET /networks/{id}}), fields
 * in moby's order because {@code docker network inspect} prints the JSON verbatim. The record is
 * the whole shape of the docker CLI's {@code network.Inspect} (API 1.50): the CLI derives the Go
 * type its templates see from it ({@link GoName}, {@link GoTime}, and {@code NON_EMPTY} as Go's
 * {@code omitempty}). {@code EnableIPv4} is {@code null} (left out) for clients older than API
 * 1.48, yet not {@code omitempty} in Go; the swarm-only {@code Peers} and {@code Services} are
 * always {@code null} here, so left out.
 */
@GoName("network.Inspect")
@JsonPropertyOrder({"Name", "Id", "Created", "Scope", "Driver", "EnableIPv4", "EnableIPv6", "IPAM", "Internal",
        "Attachable", "Ingress", "ConfigFrom", "ConfigOnly", "Containers", "Options", "Labels", "Peers", "Services"})
public record NetworkResource(
        @JsonProperty("Name") String name,
        @JsonProperty("Id") @GoName("ID") String id,
        @JsonProperty("Created") @GoTime String created,
        @JsonProperty("Scope") String scope,
        @JsonProperty("Driver") String driver,
        @JsonProperty("EnableIPv4") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean enableIpv4,
        @JsonProperty("EnableIPv6") boolean enableIpv6,
        @JsonProperty("IPAM") Ipam ipam,
        @JsonProperty("Internal") boolean internal,
        @JsonProperty("Attachable") boolean attachable,
        @JsonProperty("Ingress") boolean ingress,
        @JsonProperty("ConfigFrom") ConfigReference configFrom,
        @JsonProperty("ConfigOnly") boolean configOnly,
        @JsonProperty("Containers") Map<String, EndpointResource> containers,
        @JsonProperty("Options") Map<String, String> options,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("Peers") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PeerInfo> peers,
        @JsonProperty("Services") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, ServiceInfo> services) {

    /** {@code IPAM}: driver, its options ({@code null} when none were ever given) and pools. */
    @GoName("network.IPAM")
    @JsonPropertyOrder({"Driver", "Options", "Config"})
    public record Ipam(
            @JsonProperty("Driver") String driver,
            @JsonProperty("Options") Map<String, String> options,
            @JsonProperty("Config") List<IpamConfig> config) {
    }

    /** One pool; empty fields are left out, as moby does. */
    @GoName("network.IPAMConfig")
    @JsonPropertyOrder({"Subnet", "IPRange", "Gateway", "AuxiliaryAddresses"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record IpamConfig(
            @JsonProperty("Subnet") String subnet,
            @JsonProperty("IPRange") String ipRange,
            @JsonProperty("Gateway") String gateway,
            @JsonProperty("AuxiliaryAddresses") @GoName("AuxAddress") Map<String, String> auxiliaryAddresses) {
    }

    /** {@code ConfigFrom}: always present, {@code {"Network":""}} when unused. */
    @GoName("config.ConfigReference")
    public record ConfigReference(@JsonProperty("Network") String network) {
    }

    /** A value of {@code Containers}: one endpoint, addresses with prefix length. */
    @GoName("network.EndpointResource")
    @JsonPropertyOrder({"Name", "EndpointID", "MacAddress", "IPv4Address", "IPv6Address"})
    public record EndpointResource(
            @JsonProperty("Name") String name,
            @JsonProperty("EndpointID") String endpointId,
            @JsonProperty("MacAddress") String macAddress,
            @JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") String ipv6Address) {
    }

    /** One of a swarm network's {@code Peers}: a node's name and address. */
    @GoName("network.PeerInfo")
    public record PeerInfo(@JsonProperty("Name") String name, @JsonProperty("IP") String ip) {
    }

    /** A value of a swarm network's {@code Services}: the virtual IP and the tasks behind it. */
    @GoName("network.ServiceInfo")
    @JsonPropertyOrder({"VIP", "Ports", "LocalLBIndex", "Tasks"})
    public record ServiceInfo(
            @JsonProperty("VIP") String vip,
            @JsonProperty("Ports") List<String> ports,
            @JsonProperty("LocalLBIndex") int localLbIndex,
            @JsonProperty("Tasks") List<Task> tasks) {
    }

    /** One task of a {@link ServiceInfo}: its endpoint and driver information. */
    @GoName("network.Task")
    @JsonPropertyOrder({"Name", "EndpointID", "EndpointIP", "Info"})
    public record Task(
            @JsonProperty("Name") String name,
            @JsonProperty("EndpointID") String endpointId,
            @JsonProperty("EndpointIP") String endpointIp,
            @JsonProperty("Info") Map<String, String> info) {
    }
}
