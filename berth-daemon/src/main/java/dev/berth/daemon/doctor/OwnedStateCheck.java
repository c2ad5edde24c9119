package dev.berth.daemon.doctor;

import dev.berth.core.model.Network;
import dev.berth.core.spi.KernelDrift;
import java.util.List;

/**
 * {@code berth-state}: the kernel objects Berth owns are as the store says: every network's bridge
 * present and up with its MTU and gateway addresses, every endpoint's veth on its bridge, the
 * {@code inet berth} table with its chains, rules, sets and every element the networks and
 * published ports need. The comparison is the reconcile loop's ({@code Reconciler.audit}), plus the
 * elements the loop skips; each difference is an error.
 */
final class OwnedStateCheck implements Check {
    static final String ID = "berth-state";
    private static final String WHY = "Berth's kernel objects differ from its store: sandboxes on the network lose "
            + "traffic, isolation or published ports. The reconcile loop repairs bridges, addresses, veths and the "
            + "table's chains and rules within 2 s; start-up also puts back missing set and map elements. If this "
            + "stays, the repair failed and the daemon's log and reconcile events say why.";

    @Override
    public List<Finding> run(HostView host) {
        List<KernelDrift> drift = host.desired().drift();
        if (drift.isEmpty()) {
            return List.of(Finding.ok(ID, "", "bridges, their addresses, veths and the firewall table with its "
                    + "elements are as the store says"));
        }
        return drift.stream().map(d -> new Finding(ID, Severity.ERROR, subject(host, d), d.description(), WHY,
                List.of("berth events --since 10m --until 0s --filter event=reconcile",
                        "# if it stays: restart berthd (start-up rebuilds every bridge, veth and the whole table)")))
                .toList();
    }

    private static String subject(HostView host, KernelDrift d) {
        return d.network() == null ? "firewall"
                : host.desired().network(d.network()).map(Network::name).orElse(d.network().value());
    }
}
