package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The body of {@code POST /networks/create}. Every field is optional on the wire; the nullable
 * {@code EnableIPv4}/{@code EnableIPv6} are absent unless the user gave the flag.
 * {@code CheckDuplicate} is only sent by clients before API 1.44 and is ignored.
 */
public record NetworkCreateRequest(
        @JsonProperty("Name") String name,
        @JsonProperty("Driver") String driver,
        @JsonProperty("Scope") String scope,
        @JsonProperty("EnableIPv4") Boolean enableIpv4,
        @JsonProperty("EnableIPv6") Boolean enableIpv6,
        @JsonProperty("IPAM") NetworkResource.Ipam ipam,
        @JsonProperty("Internal") boolean internal,
        @JsonProperty("Attachable") boolean attachable,
        @JsonProperty("Ingress") boolean ingress,
        @JsonProperty("ConfigOnly") boolean configOnly,
        @JsonProperty("ConfigFrom") NetworkResource.ConfigReference configFrom,
        @JsonProperty("Options") Map<String, String> options,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("CheckDuplicate") Boolean checkDuplicate) {
}
