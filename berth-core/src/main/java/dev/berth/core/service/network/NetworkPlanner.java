package dev.berth.core.service.network;

import dev.berth.core.errors.ConflictException;
import dev.berth.core.errors.ForbiddenException;
import dev.berth.core.errors.InvalidParameterException;
import dev.berth.core.errors.NotFoundException;
import dev.berth.core.model.BridgeOptions;
import dev.berth.core.model.GatewayMode;
import dev.berth.core.model.DeviceNames;
import dev.berth.core.model.GoBool;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.IpamPool;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.PredefinedNetworks;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns a {@link CreateNetwork} into the final {@link Network} without touching anything: every
 * check of moby's create path, in moby's order where it matters (predefined name, swarm-only
 * driver, IPAM syntax, name, driver, options, then subnet choice).
 */
final class NetworkPlanner {
    static final String SWARM_ONLY = "This node is not a swarm manager. Use \"docker swarm init\" or "
            + "\"docker swarm join\" to connect this node to swarm and try again.";
    static final String OPT_ENABLE_IPV4 = "com.docker.network.enable_ipv4";
    static final String OPT_ENABLE_IPV6 = "com.docker.network.enable_ipv6";

    private final IpamPlanner ipam;
    private final NetworkSettings settings;

    NetworkPlanner(NetworkSettings settings) {
        this.ipam = new IpamPlanner(settings);
        this.settings = settings;
    }

    /**
     * What the planner sees of the world.
     *
     * @param existing     every network
     * @param hostReserved host prefixes automatic subnets avoid
     * @param drivers      names of the registered network drivers
     * @param id           the new network's id
     * @param created      the new network's creation time
     * @param clusterIpv6  a driver's pool of automatic IPv6 subnets for its global networks ({@code
     *                     NetworkDriver.ipv6Pool}); asked only for a global network with IPv6 and no
     *                     IPv6 subnet given (it may reach the cluster store)
     */
    record World(Collection<Network> existing, List<IpPrefix> hostReserved, Set<String> drivers, NetworkId id,
                 Instant created, Function<String, Optional<IpPrefix>> clusterIpv6) {
    }

    CreatedNetwork plan(CreateNetwork given, World world) {
        String name = given.name() == null ? "" : given.name();
        if (PredefinedNetworks.isPredefined(name)) {
            throw new ForbiddenException("operation is not permitted on predefined " + name + " network ");
        }
        checkSizes(name, given);
        String driver = given.driver() == null || given.driver().isEmpty()
                ? PredefinedNetworks.DRIVER_BRIDGE : given.driver();
        String scope = scope(given.scope(), driver, world.drivers());
        CreateNetwork request = withDefaultOptions(given, driver);
        IpamPlanner.Families families = families(request);
        IpamPlanner.Checked checked = IpamPlanner.check(request.ipam(), families);
        if (name.isBlank()) {
            throw new InvalidParameterException("invalid name: name is empty");
        }
        if (world.existing().stream().anyMatch(n -> n.name().equals(name))) {
            throw new ConflictException("network with name " + name + " already exists");
        }
        requireDriver(driver, world.drivers());
        IpamPlanner.requireDriver(request.ipam());
        if (request.configFrom() != null && !request.configFrom().isEmpty()) {
            throw new InvalidParameterException("config-from is not supported by Berth yet (network "
                    + request.configFrom() + ")");
        }
        if (!families.ipv4() && !families.ipv6()) {
            throw new InvalidParameterException("IPv4 or IPv6 must be enabled");
        }
        CreateNetwork.RequestFlags flags = request.flags();
        IpamPlanner.Families noGateway = new IpamPlanner.Families(false, false);
        if (driver.equals(PredefinedNetworks.DRIVER_BRIDGE)) {
            BridgeOptions options = BridgeOptions.parse(request.options(), families.ipv6());
            options.checkIsolated(flags.internal());
            requireUnusedBridgeName(options.bridgeName(), world.existing());
            // moby's GetSkipGwAlloc: an isolated family gets no gateway unless the request names one
            noGateway = new IpamPlanner.Families(options.gatewayModeIpv4() == GatewayMode.ISOLATED,
                    options.gatewayModeIpv6() == GatewayMode.ISOLATED);
        }
        boolean global = driver.equals(PredefinedNetworks.DRIVER_OVERLAY);
        if (global) {
            checkOverlayOptions(request.options(), families.ipv6());
        }
        List<IpamPool> pools = flags.configOnly() ? IpamPlanner.asGiven(checked)
                : ipam.allocate(checked, families, noGateway, world.existing(), world.hostReserved(), global,
                        () -> world.clusterIpv6().apply(driver));
        Network network = new Network(world.id(), name, driver, world.created(), scope,
                new Network.Ipam(IpamPlanner.DEFAULT_DRIVER, request.ipam().options(), pools),
                new Network.Flags(families.ipv4(), families.ipv6(), flags.internal(), flags.attachable(),
                        flags.ingress(), flags.configOnly()),
                new TreeMap<>(request.options()), new TreeMap<>(request.labels()));
        return new CreatedNetwork(network, String.join("\n", checked.warnings()));
    }

    /**
     * moby's {@code createNetwork}: daemon.json {@code default-network-opts} of the driver fill in
     * the options the request does not give (the request wins); and an {@code enable_ipv4/6}
     * option is dropped when the request's own field decides, so that inspect shows no option
     * contradicting the network.
     */
    private CreateNetwork withDefaultOptions(CreateNetwork request, String driver) {
        Map<String, String> options = new TreeMap<>(settings.defaultOptions(driver));
        options.putAll(request.options());
        if (request.enableIpv4() != null) {
            options.remove(OPT_ENABLE_IPV4);
        }
        if (request.enableIpv6() != null) {
            options.remove(OPT_ENABLE_IPV6);
        }
        if (options.equals(request.options())) {
            return request;
        }
        return new CreateNetwork(request.name(), request.driver(), request.scope(), request.enableIpv4(),
                request.enableIpv6(), request.ipam(), request.flags(), request.configFrom(), options, request.labels());
    }

    private static void checkSizes(String name, CreateNetwork request) {
        InputLimits.name("network name", name);
        InputLimits.entries("labels", request.labels());
        InputLimits.entries("options", request.options());
        InputLimits.entries("IPAM options", request.ipam().options());
        request.ipam().pools().forEach(p -> InputLimits.entries("auxiliary addresses", p.aux()));
    }

    /**
     * The overlay driver is registered only when the daemon has a cluster store; without one,
     * moby's answer to an overlay network outside swarm mode.
     */
    private static String scope(String scope, String driver, Set<String> drivers) {
        if (driver.equals(PredefinedNetworks.DRIVER_OVERLAY)) {
            if (!drivers.contains(driver)) {
                throw new ForbiddenException(SWARM_ONLY);
            }
            if (scope == null || scope.isEmpty() || scope.equals(Network.SCOPE_GLOBAL) || scope.equals("swarm")) {
                return Network.SCOPE_GLOBAL;
            }
            throw new InvalidParameterException("invalid scope " + scope + " for an overlay network: it is global");
        }
        if (scope == null || scope.isEmpty() || scope.equals(Network.SCOPE_LOCAL)) {
            return Network.SCOPE_LOCAL;
        }
        if (scope.equals("swarm") || scope.equals("global")) {
            throw new ForbiddenException(SWARM_ONLY);
        }
        throw new InvalidParameterException("invalid scope " + scope + ": it must be local, swarm or global");
    }

    /** The top-level fields win; else the {@code enable_ipv4/6} options; else IPv4 only. */
    private static IpamPlanner.Families families(CreateNetwork request) {
        return new IpamPlanner.Families(
                enabled(request.enableIpv4(), request.options(), OPT_ENABLE_IPV4, true),
                enabled(request.enableIpv6(), request.options(), OPT_ENABLE_IPV6, false));
    }

    private static boolean enabled(Boolean field, Map<String, String> options, String key, boolean otherwise) {
        if (field != null) {
            return field;
        }
        String option = options.get(key);
        if (option == null) {
            return otherwise;
        }
        return GoBool.parse(option)
                .orElseThrow(() -> new InvalidParameterException("driver-opt \"" + key + "\" is not a valid bool"));
    }

    /** The MTU as for a bridge, and a VNI asked for with {@code vxlanid_list}: one number in 1..16777215. */
    private static void checkOverlayOptions(Map<String, String> options, boolean ipv6) {
        BridgeOptions.parse(options, ipv6);
        String vni = options.get(PredefinedNetworks.OPT_OVERLAY_VNI);
        if (vni == null) {
            return;
        }
        try {
            int value = Integer.parseInt(vni.strip());
            if (value >= 1 && value <= 0xffffff) {
                return;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidParameterException("invalid value \"" + vni + "\" for option "
                + PredefinedNetworks.OPT_OVERLAY_VNI + ": one VXLAN id from 1 to 16777215");
    }

    /** A bridge name no other bridge network uses (moby checks it when the bridge is made). */
    private static void requireUnusedBridgeName(String name, Collection<Network> existing) {
        if (name.isEmpty()) {
            return;
        }
        for (Network other : existing) {
            if (other.driver().equals(PredefinedNetworks.DRIVER_BRIDGE) && !other.flags().configOnly()
                    && DeviceNames.bridgeName(other).equals(name)) {
                throw new InvalidParameterException("invalid value \"" + name + "\" for option "
                        + PredefinedNetworks.OPT_BRIDGE_NAME + ": bridge " + name + " is already used by network "
                        + other.name());
            }
        }
    }

    private static void requireDriver(String driver, Set<String> registered) {
        if (driver.equals(PredefinedNetworks.DRIVER_HOST) || driver.equals(PredefinedNetworks.DRIVER_NULL)) {
            throw new ForbiddenException("only one instance of \"" + driver + "\" network is allowed");
        }
        if (!registered.contains(driver)) {
            throw new NotFoundException("plugin \"" + driver + "\" not found");
        }
    }
}
