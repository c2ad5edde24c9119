package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The answer to {@code GET /berth/doctor} (a Berth extension, also under {@code /v1.xx/}): what
 * the doctor found, most serious first. Fields a newer daemon adds are ignored.
 *
 * <pre>{@code
 * {"Findings":[{"ID":"ipv6-accept-ra","Severity":"error","Subject":"eth0",
 *   "Found":"eth0 learns its IPv6 default route via fe80::1 from router advertisements (proto ra), ...",
 *   "Why":"With forwarding on, the kernel ignores router advertisements ...",
 *   "Fix":["sysctl -w net.ipv6.conf.eth0.accept_ra=2","echo 'net.ipv6.conf.eth0.accept_ra = 2' >> /etc/sysctl.d/90-berth.conf"]}]}
 * }</pre>
 */
@JsonPropertyOrder({"Findings"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record DoctorReport(@JsonProperty("Findings") List<Finding> findings) {
    public static final String ERROR = "error";
    public static final String WARNING = "warning";
    public static final String INFO = "info";
    public static final String OK = "ok";

    public DoctorReport {
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /**
     * One finding.
     *
     * @param id       stable, for scripts ({@code ipv6-accept-ra}, {@code forwarding-ipv4}, {@code berth-state}, ...)
     * @param severity {@code error}, {@code warning}, {@code info} or {@code ok}
     * @param subject  an interface or network name, or {@code ""}
     * @param found    what was found
     * @param why      why it matters ({@code ""} when ok)
     * @param fix      commands to type, in order; {@code #} lines explain
     */
    @JsonPropertyOrder({"ID", "Severity", "Subject", "Found", "Why", "Fix"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Finding(@JsonProperty("ID") String id, @JsonProperty("Severity") String severity,
                          @JsonProperty("Subject") String subject, @JsonProperty("Found") String found,
                          @JsonProperty("Why") String why, @JsonProperty("Fix") List<String> fix) {
        public Finding {
            fix = fix == null ? List.of() : List.copyOf(fix);
        }
    }
}
