package dev.berth.daemon.doctor;

import dev.berth.core.model.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kernel-ipv6}: the kernel has IPv6 ({@code /proc/net/if_inet6}) and it is not disabled on
 * every interface. An error when an IPv6 network exists, else only worth knowing.
 */
final class Ipv6KernelCheck implements Check {
    static final String ID = "kernel-ipv6";

    @Override
    public List<Finding> run(HostView host) {
        List<Network> v6 = host.desired().bridges().stream().filter(n -> !Desired.subnets(n, true).isEmpty()).toList();
        Severity severity = v6.isEmpty() ? Severity.INFO : Severity.ERROR;
        String affected = v6.isEmpty() ? "" : " Networks " + Desired.names(v6) + " have IPv6 subnets.";
        if (!host.hasIpv6()) {
            return List.of(new Finding(ID, severity, "", "the kernel has no IPv6 (/proc/net/if_inet6 is missing)",
                    "Sandboxes get no IPv6 addresses or routes and IPv6 networks cannot be made." + affected,
                    List.of("modprobe ipv6",
                            "# if IPv6 is built in: remove ipv6.disable=1 from the kernel command line, then reboot")));
        }
        if (host.on("net/ipv6/conf/all/disable_ipv6")) {
            List<String> fix = new ArrayList<>(SysctlFix.set("net/ipv6/conf/all/disable_ipv6", "0"));
            fix.addAll(SysctlFix.set("net/ipv6/conf/default/disable_ipv6", "0"));
            return List.of(new Finding(ID, severity, "", "IPv6 is disabled on every interface "
                    + "(net.ipv6.conf.all.disable_ipv6 is 1)",
                    "Interfaces have no IPv6 addresses: neither the host nor its sandboxes can use IPv6." + affected, fix));
        }
        return List.of(Finding.ok(ID, "", "the kernel has IPv6 and it is enabled"));
    }
}
