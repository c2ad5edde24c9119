package dev.berth.daemon.doctor;

import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kernel-br-netfilter}: networks with {@code enable_icc=false} need the br_netfilter module
 * and {@code bridge-nf-call-iptables}/{@code ip6tables} on, or sandboxes on one bridge still reach
 * each other.
 */
final class BridgeNetfilterCheck implements Check {
    static final String ID = "kernel-br-netfilter";
    private static final String V4 = "net/bridge/bridge-nf-call-iptables";
    private static final String V6 = "net/bridge/bridge-nf-call-ip6tables";
    private static final String WHY = "Frames between two ports of one bridge are switched, not routed: only with "
            + "br_netfilter do they pass Berth's forward rules, so sandboxes on these networks can still reach each "
            + "other.";

    @Override
    public List<Finding> run(HostView host) {
        List<Network> noIcc = host.desired().bridges().stream().filter(n -> !BridgeOptions.of(n).icc()).toList();
        if (noIcc.isEmpty()) {
            return List.of(Finding.ok(ID, "", "no network has enable_icc=false: br_netfilter is not needed"));
        }
        String networks = Desired.names(noIcc);
        if (!host.exists("/proc/sys/" + V4)) {
            return List.of(new Finding(ID, Severity.ERROR, "", "networks " + networks
                    + " have enable_icc=false, but the br_netfilter module is not loaded", WHY,
                    List.of("modprobe br_netfilter", "echo br_netfilter >> /etc/modules-load.d/berth.conf")));
        }
        List<String> off = new ArrayList<>();
        List<String> fix = new ArrayList<>();
        for (String key : List.of(V4, V6)) {
            boolean used = noIcc.stream().anyMatch(n -> !Desired.subnets(n, key.equals(V6)).isEmpty());
            if (used && !host.on(key)) {
                off.add(SysctlFix.name(key));
                fix.addAll(SysctlFix.set(key, "1"));
            }
        }
        if (!off.isEmpty()) {
            return List.of(new Finding(ID, Severity.ERROR, "", "networks " + networks + " have enable_icc=false, but "
                    + String.join(" and ", off) + " is 0", WHY, fix));
        }
        return List.of(Finding.ok(ID, "", "br_netfilter is loaded for networks " + networks));
    }
}
