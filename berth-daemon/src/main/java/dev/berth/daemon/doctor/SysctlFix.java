package dev.berth.daemon.doctor;

import java.util.List;

/**
 * The commands that set a sysctl now and at every boot. Keys are given in slash form
 * ({@code net/ipv6/conf/eth0/accept_ra}) and shown dotted unless a component holds a dot (a VLAN
 * interface {@code eth0.100}), which only the slash form can name.
 */
final class SysctlFix {
    /** Where the boot-time lines go; one file for every fix, appended to. */
    static final String FILE = "/etc/sysctl.d/90-berth.conf";

    private SysctlFix() {}

    /** {@code net.ipv6.conf.eth0.accept_ra}, or the slash form when an interface name has a dot. */
    static String name(String slashKey) {
        for (String part : slashKey.split("/")) {
            if (part.contains(".")) {
                return slashKey;
            }
        }
        return slashKey.replace('/', '.');
    }

    /** {@code sysctl -w KEY=VALUE} and the line that keeps it after a reboot. */
    static List<String> set(String slashKey, String value) {
        return List.of("sysctl -w " + name(slashKey) + "=" + value,
                "echo '" + name(slashKey) + " = " + value + "' >> " + FILE);
    }

    /** The slash key of an interface's IPv6 setting: {@code net/ipv6/conf/IF/KEY}. */
    static String ipv6(String ifName, String key) {
        return "net/ipv6/conf/" + ifName + "/" + key;
    }
}
