package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * One network's settings of a container: the request part of {@code network connect} and of
 * {@code NetworkingConfig.EndpointsConfig}, and the operational part container inspect fills in.
 * Field order as the 28.2 CLI sends it.
 */
@JsonPropertyOrder({"IPAMConfig", "Links", "Aliases", "MacAddress", "DriverOpts", "GwPriority", "NetworkID",
        "EndpointID", "Gateway", "IPAddress", "IPPrefixLen", "IPv6Gateway", "GlobalIPv6Address",
        "GlobalIPv6PrefixLen", "DNSNames"})
public record EndpointSettings(
        @JsonProperty("IPAMConfig") IpamConfig ipamConfig,
        @JsonProperty("Links") List<String> links,
        @JsonProperty("Aliases") List<String> aliases,
        @JsonProperty("MacAddress") String macAddress,
        @JsonProperty("DriverOpts") Map<String, String> driverOpts,
        @JsonProperty("GwPriority") int gwPriority,
        @JsonProperty("NetworkID") String networkId,
        @JsonProperty("EndpointID") String endpointId,
        @JsonProperty("Gateway") String gateway,
        @JsonProperty("IPAddress") String ipAddress,
        @JsonProperty("IPPrefixLen") int ipPrefixLen,
        @JsonProperty("IPv6Gateway") String ipv6Gateway,
        @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
        @JsonProperty("GlobalIPv6PrefixLen") int globalIpv6PrefixLen,
        @JsonProperty("DNSNames") List<String> dnsNames) {

    /** {@code EndpointIPAMConfig}: the static addresses asked for; empty ones left out. */
    @JsonPropertyOrder({"IPv4Address", "IPv6Address", "LinkLocalIPs"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record IpamConfig(
            @JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") String ipv6Address,
            @JsonProperty("LinkLocalIPs") List<String> linkLocalIps) {
    }
}
