package dev.berth.core.service.network;

import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.UnavailableException;
import dev.berth.core.ipam.AddressPool;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One address family of the default bridge as the daemon is configured, with dockerd's options
 * ({@code daemon/daemon_unix.go getDefaultBridgeIPAMConf}):
 *
 * <ul>
 *   <li>{@code bip} / {@code bip6}: the bridge's own address with the subnet's prefix length; the
 *       subnet and the gateway follow from it;
 *   <li>{@code fixed-cidr} / {@code fixed-cidr-v6}: the range sandboxes' addresses come from (what
 *       {@code --ip-range} is to a user network), inside bip's subnet; without a bip it is the subnet
 *       too, and the bridge takes its first free address;
 *   <li>{@code default-gateway} / {@code default-gateway-v6}: a router on the bridge's subnet that
 *       sandboxes' default route goes through instead of the bridge, kept as moby keeps it: an
 *       auxiliary address named {@link IpamPool#DEFAULT_GATEWAY_IPV4} / {@code ..._IPV6}.
 * </ul>
 *
 * With none of bip and fixed-cidr the subnet comes from the address pools ({@link #pool}'s
 * supplier). {@link #problem} checks values before anything is built, with moby's wording where
 * moby has one; {@link #pool} builds the network's pool from checked values.
 *
 * @param bip            {@code bip}/{@code bip6}, host bits kept (they are the bridge's address)
 * @param fixedCidr      {@code fixed-cidr}/{@code fixed-cidr-v6}, masked
 * @param defaultGateway {@code default-gateway}/{@code default-gateway-v6}
 */
public record BridgeIpam(Optional<IpPrefix> bip, Optional<IpPrefix> fixedCidr, Optional<InetAddress> defaultGateway) {

    public BridgeIpam {
        Objects.requireNonNull(bip, "bip");
        fixedCidr = fixedCidr.map(IpPrefix::masked);
        Objects.requireNonNull(defaultGateway, "defaultGateway");
    }

    /** The bridge at {@code bip}, nothing else configured. */
    public static BridgeIpam at(IpPrefix bip) {
        return new BridgeIpam(Optional.of(bip), Optional.empty(), Optional.empty());
    }

    /** Nothing configured: the subnet comes from the pools. */
    public static BridgeIpam automatic() {
        return new BridgeIpam(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The three options of a family, by their dockerd names. */
    public enum Setting {
        BIP, FIXED_CIDR, DEFAULT_GATEWAY;

        /** The flag and daemon.json name of this setting for a family. */
        public String option(boolean v6) {
            return switch (this) {
                case BIP -> v6 ? "bip6" : "bip";
                case FIXED_CIDR -> v6 ? "fixed-cidr-v6" : "fixed-cidr";
                case DEFAULT_GATEWAY -> v6 ? "default-gateway-v6" : "default-gateway";
            };
        }
    }

    /** A value that cannot be used: which setting, and why (the message names the option). */
    public record Problem(Setting setting, String message) {
    }

    /** The subnet the options give: bip's, else fixed-cidr; empty when the pools must supply one. */
    public Optional<IpPrefix> subnet() {
        return bip.map(IpPrefix::masked).or(() -> fixedCidr);
    }

    /**
     * The first thing wrong with the values of one family, each value on its own first (family,
     * multicast, loopback, link-local), then together: fixed-cidr inside bip's subnet, the default
     * gateway inside the subnet and not an address the subnet or the bridge holds, and at least one
     * address left for sandboxes. A default gateway with no configured subnet is only checked
     * against the automatic subnet, by {@link #pool}.
     */
    public Optional<Problem> problem(boolean v6) {
        return single(v6).or(() -> subnet().flatMap(s -> plan(v6, s).problem()));
    }

    /**
     * The pool of the default bridge for this family: the configured subnet or else the one
     * {@code automatic} supplies, the range, the gateway (bip's address, else the first free one of
     * the range after the default gateway) and the default gateway as an auxiliary address.
     *
     * @throws InvalidParameterException if the values are not usable (see {@link #problem})
     */
    public IpamPool pool(boolean v6, Supplier<IpPrefix> automatic) {
        Optional<Problem> invalid = single(v6);
        if (invalid.isPresent()) {
            throw new InvalidParameterException(invalid.get().message());
        }
        Plan plan = plan(v6, subnet().orElseGet(automatic));
        if (plan.problem().isPresent()) {
            throw new InvalidParameterException(plan.problem().get().message());
        }
        return plan.pool();
    }

    private Optional<Problem> single(boolean v6) {
        if (bip.isPresent()) {
            Optional<String> why = v6 ? bip6Problem(bip.get()) : bipProblem(bip.get());
            if (why.isPresent()) {
                return Optional.of(new Problem(Setting.BIP, why.get()));
            }
        }
        if (fixedCidr.isPresent()) {
            IpPrefix range = fixedCidr.get();
            Optional<String> why = range.isIpv4() == v6 ? Optional.of("'" + range + "' is not a valid " + family(v6)
                    + " subnet") : SubnetUse.problem(range);
            if (why.isPresent()) {
                return Optional.of(new Problem(Setting.FIXED_CIDR, "invalid " + Setting.FIXED_CIDR.option(v6) + ": "
                        + why.get()));
            }
        }
        if (defaultGateway.isPresent() && (defaultGateway.get() instanceof Inet4Address) == v6) {
            return Optional.of(new Problem(Setting.DEFAULT_GATEWAY, "invalid " + Setting.DEFAULT_GATEWAY.option(v6)
                    + ": '" + IpAddresses.format(defaultGateway.get()) + "' is not an " + family(v6) + " address"));
        }
        return Optional.empty();
    }

    /** Berth's long-standing rule for {@code bip}, plus the subnets no network may have. */
    private static Optional<String> bipProblem(IpPrefix bip) {
        if (!bip.isIpv4() || bip.length() > 30 || bip.length() < 1 || !bip.hasHostBits()) {
            return Optional.of("bip must be an IPv4 address with a prefix length from 1 to 30 naming the "
                    + "bridge's own address, e.g. 172.17.0.1/16; got " + bip);
        }
        return SubnetUse.problem(bip.masked()).map(why -> "invalid bip: " + why);
    }

    /** moby's {@code validateIPv6Subnet} on the bridge's address, which must not be the subnet-router anycast. */
    private static Optional<String> bip6Problem(IpPrefix bip6) {
        if (bip6.isIpv4()) {
            return Optional.of("invalid bip6: '" + bip6 + "' is not a valid IPv6 subnet");
        }
        Optional<String> unusable = SubnetUse.problem(bip6.masked());
        if (unusable.isPresent()) {
            return unusable.map(why -> "invalid bip6: " + why);
        }
        if (!bip6.hasHostBits() && bip6.length() < 127) {
            return Optional.of("invalid bip6: " + bip6 + " is the subnet's own (anycast) address; bip6 names the "
                    + "bridge's address, e.g. " + IpAddresses.format(bip6.addressAt(java.math.BigInteger.ONE)) + "/"
                    + bip6.length());
        }
        return Optional.empty();
    }

    /** A pool built, or the reason it cannot be. */
    private record Plan(Optional<Problem> problem, IpamPool pool) {
        static Plan failed(Setting setting, String message) {
            return new Plan(Optional.of(new Problem(setting, message)), null);
        }
    }

    private Plan plan(boolean v6, IpPrefix subnet) {
        String bipOption = Setting.BIP.option(v6);
        String rangeOption = Setting.FIXED_CIDR.option(v6);
        String gatewayOption = Setting.DEFAULT_GATEWAY.option(v6);
        if (bip.isPresent() && fixedCidr.isPresent()) {
            IpPrefix range = fixedCidr.get();
            if (!subnet.overlaps(range) || range.length() < subnet.length()) {
                return Plan.failed(Setting.FIXED_CIDR, rangeOption + "=" + range + " is outside the subnet " + subnet
                        + " of " + bipOption + " " + bip.get() + ": the allocatable range must lie inside the subnet");
            }
        }
        AddressPool addresses = new AddressPool(subnet, fixedCidr);
        bip.ifPresent(b -> addresses.reserveQuietly(b.address()));
        if (defaultGateway.isPresent()) {
            InetAddress router = defaultGateway.get();
            String shown = IpAddresses.format(router);
            if (!subnet.contains(router)) {
                return Plan.failed(Setting.DEFAULT_GATEWAY, "default gateway ip must be part of the network: "
                        + gatewayOption + " " + shown + " is outside " + subnet);
            }
            if (bip.isPresent() && bip.get().address().equals(router)) {
                return Plan.failed(Setting.DEFAULT_GATEWAY, gatewayOption + " " + shown + " is the bridge's own "
                        + "address (" + bipOption + "); leave " + gatewayOption + " out to route through the bridge");
            }
            if (addresses.isTaken(router)) {
                return Plan.failed(Setting.DEFAULT_GATEWAY, gatewayOption + " " + shown + " is a reserved address of "
                        + subnet);
            }
            addresses.reserveQuietly(router);
        }
        Setting sized = fixedCidr.isPresent() ? Setting.FIXED_CIDR : Setting.BIP;
        String sizedValue = fixedCidr.isPresent() ? rangeOption + " " + fixedCidr.get()
                : bip.map(b -> bipOption + " " + b).orElse("the subnet " + subnet);
        InetAddress gateway;
        try {
            gateway = bip.map(IpPrefix::address).orElseGet(addresses::allocate);
            addresses.allocate();
        } catch (UnavailableException e) {
            return Plan.failed(sized, sizedValue + " leaves no address for sandboxes");
        }
        Map<String, InetAddress> aux = defaultGateway
                .map(g -> Map.of(v6 ? IpamPool.DEFAULT_GATEWAY_IPV6 : IpamPool.DEFAULT_GATEWAY_IPV4, g))
                .orElse(Map.of());
        return new Plan(Optional.empty(), new IpamPool(subnet, fixedCidr, Optional.of(gateway), aux, false));
    }

    private static String family(boolean v6) {
        return v6 ? "IPv6" : "IPv4";
    }
}
