package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * A network as the Engine API shows it ({@code GET /networks}, {@code GET /networks/{id}}), fields
 * in moby's order because {@code docker network inspect} prints the JSON verbatim.
 * {@code EnableIPv4} is {@code null} (left out) for clients older than API 1.48.
 */
@JsonPropertyOrder({"Name", "Id", "Created", "Scope", "Driver", "EnableIPv4", "EnableIPv6", "IPAM", "Internal",
        "Attachable", "Ingress", "ConfigFrom", "ConfigOnly", "Containers", "Options", "Labels"})
public record NetworkResource(
        @JsonProperty("Name") String name,
        @JsonProperty("Id") String id,
        @JsonProperty("Created") String created,
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
        @JsonProperty("Labels") Map<String, String> labels) {

    /** {@code IPAM}: driver, its options ({@code null} when none were ever given) and pools. */
    @JsonPropertyOrder({"Driver", "Options", "Config"})
    public record Ipam(
            @JsonProperty("Driver") String driver,
            @JsonProperty("Options") Map<String, String> options,
            @JsonProperty("Config") java.util.List<IpamConfig> config) {
    }

    /** One pool; empty fields are left out, as moby does. */
    @JsonPropertyOrder({"Subnet", "IPRange", "Gateway", "AuxiliaryAddresses"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record IpamConfig(
            @JsonProperty("Subnet") String subnet,
            @JsonProperty("IPRange") String ipRange,
            @JsonProperty("Gateway") String gateway,
            @JsonProperty("AuxiliaryAddresses") Map<String, String> auxiliaryAddresses) {
    }

    /** {@code ConfigFrom}: always present, {@code {"Network":""}} when unused. */
    public record ConfigReference(@JsonProperty("Network") String network) {
    }

    /** A value of {@code Containers}: one endpoint, addresses with prefix length. */
    @JsonPropertyOrder({"Name", "EndpointID", "MacAddress", "IPv4Address", "IPv6Address"})
    public record EndpointResource(
            @JsonProperty("Name") String name,
            @JsonProperty("EndpointID") String endpointId,
            @JsonProperty("MacAddress") String macAddress,
            @JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") String ipv6Address) {
    }
}
