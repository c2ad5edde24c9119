package dev.berth.daemon.doctor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /berth/doctor}: takes one {@link HostView} and runs every {@link Check} over it. A
 * check that throws does not stop the others: it becomes an error finding ({@code check-failed})
 * naming the check.
 * Findings come most serious first, in check order within a severity.
 */
public final class Doctor {
    /** The id of the finding that stands for a check that threw; its subject is the check's class. */
    static final String CHECK_FAILED = "check-failed";
    private final Supplier<HostView> host;
    private final List<Check> checks;

    public Doctor(Supplier<HostView> host, List<Check> checks) {
        this.host = host;
        this.checks = List.copyOf(checks);
    }

    /**
     * Every check Berth has, in report order: kernel support, forwarding, the IPv6 uplink, the
     * networks' IPv6 reachability, then the state Berth owns.
     */
    public static List<Check> standardChecks() {
        return List.of(new Ipv6KernelCheck(), new NftablesCheck(), new BridgeNetfilterCheck(), new ForwardingCheck(),
                new DefaultRouteCheck(), new UplinkAddressCheck(), new AcceptRaCheck(), new SubnetReachCheck(),
                new GlobalNatCheck(), new ProxyNdpCheck(), new BridgeIpv6RoomCheck(), new OwnedStateCheck());
    }

    /** A doctor with nothing to check: for an API server built without one (tests). */
    public static Doctor none() {
        return new Doctor(() -> null, List.of());
    }

    /** Looks at the host once and runs every check; most serious findings first. */
    public List<Finding> examine() {
        if (checks.isEmpty()) {
            return List.of();
        }
        HostView view = host.get();
        List<Finding> out = new ArrayList<>();
        for (Check check : checks) {
            try {
                out.addAll(check.run(view));
            } catch (RuntimeException e) {
                out.add(new Finding(CHECK_FAILED, Severity.ERROR, check.getClass().getSimpleName(),
                        "the check failed: " + e, "This part of the host could not be checked.", List.of()));
            }
        }
        out.sort(Comparator.comparing(Finding::severity));
        return out;
    }
}
