package dev.berth.kernel.netlink;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What a caller may ask of a NETLINK_ROUTE socket. {@link RtNetlink} is the real one (see it for
 * the kernel's behaviour of each request: deletes are idempotent, adds fail with EEXIST); the
 * interface is the seam through which drivers get unit tests with an in-memory fake.
 */
public interface Rtnl extends AutoCloseable {
    List<Link> links();

    Optional<Link> link(String name);

    Optional<Link> link(int index);

    Link createBridge(BridgeSpec spec);

    Link createVeth(VethSpec spec);

    void deleteLink(int index);

    void deleteLink(String name);

    void setGroup(String name, int group);

    void deleteGroup(int group);

    void setUp(int index, boolean up);

    void setMtu(int index, int mtu);

    void setName(int index, String name);

    void setMac(int index, byte[] mac);

    void setMaster(int index, int masterIndex);

    /**
     * Takes a link by name off its master and puts it in a device group, in one request
     * ({@code ip link set NAME nomaster group N}); succeeds when the link is gone.
     */
    void detach(String name, int group);

    void setBridgePortHairpin(int index, boolean on);

    List<Address> addresses();

    List<Address> addresses(int index);

    void addAddress(AddressSpec spec);

    void deleteAddress(int index, InetAddress address, int prefixLength);

    List<Route> routes(int family);

    void addRoute(RouteSpec spec);

    void deleteRoute(RouteSpec spec);

    /** {@link #addProxyNeighbour(int, InetAddress, int)} without a protocol mark. */
    default void addProxyNeighbour(int index, InetAddress address) {
        addProxyNeighbour(index, address, 0);
    }

    void addProxyNeighbour(int index, InetAddress address, int protocol);

    Optional<ProxyNeighbour> proxyNeighbour(int index, InetAddress address);

    void deleteProxyNeighbour(int index, InetAddress address);

    List<ProxyNeighbour> proxyNeighbours(int family);

    /** Creates a VXLAN device (see {@link VxlanSpec}); EEXIST if the name is taken. */
    Link createVxlan(VxlanSpec spec);

    /**
     * A static entry in a VXLAN device's forwarding table ({@code bridge fdb replace MAC dev DEV dst
     * REMOTE self permanent}): frames for {@code mac} go to the VTEP at {@code remote}.
     */
    void replaceFdb(int index, byte[] mac, InetAddress remote);

    /** Removes that entry; succeeds when it is gone. */
    void deleteFdb(int index, byte[] mac, InetAddress remote);

    /** A permanent neighbour entry ({@code ip neigh replace ADDR lladdr MAC dev DEV nud permanent}). */
    void replaceNeighbour(int index, InetAddress address, byte[] mac);

    /** Removes a neighbour entry; succeeds when it is gone. */
    void deleteNeighbour(int index, InetAddress address);

    /**
     * The entries of one device's table: {@code RtNetlink.AF_INET}/{@code AF_INET6} for IP
     * neighbours, {@code AF_BRIDGE} for forwarding (FDB) entries. One dump of the namespace.
     */
    List<StaticNeighbour> neighbours(int family, int index);

    @Override
    void close();
}
