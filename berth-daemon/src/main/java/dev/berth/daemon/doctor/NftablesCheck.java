package dev.berth.daemon.doctor;

import java.util.List;

/** {@code kernel-nftables}: libnftables answers in the host namespace (the nf_tables module is there). */
final class NftablesCheck implements Check {
    static final String ID = "kernel-nftables";

    @Override
    public List<Finding> run(HostView host) {
        return host.nftablesError().map(error -> List.of(new Finding(ID, Severity.ERROR, "",
                "nftables cannot be used: " + error,
                "Isolation between networks, masquerading and published ports are nftables rules in table inet "
                        + "berth: without them sandboxes have no NAT, no published ports and no isolation.",
                List.of("modprobe nf_tables", "apt-get install nftables libnftables1"))))
                .orElseGet(() -> List.of(Finding.ok(ID, "", "nftables answers")));
    }
}
