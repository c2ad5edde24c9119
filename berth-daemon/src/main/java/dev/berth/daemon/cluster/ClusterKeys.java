package dev.berth.daemon.cluster;

import dev.berth.core.model.EndpointId;
import dev.berth.core.model.IpAddresses;
import dev.berth.core.model.IpPrefix;
import dev.berth.core.model.NetworkId;
import java.net.InetAddress;

/**
 * The layout of Berth's keys in etcd, all under {@code /berth/v1/}. Reservations hold the id of
 * their holder, so that a release deletes only what is still its own.
 *
 * <pre>
 * hosts/&lt;engine id&gt;                      {"vtep": ...}         under the host's lease
 * networks/&lt;network id&gt;                  the network (the store's JSON form)
 * names/&lt;name&gt;, subnets/&lt;a.b.c.d_n&gt;, vnis/&lt;n&gt;   network id
 * addresses/&lt;network id&gt;/&lt;address&gt;     endpoint id           under the host's lease
 * endpoints/&lt;network id&gt;/&lt;endpoint id&gt;  the endpoint's JSON   under the host's lease
 * ipv6-pool                             the cluster's ULA /48 (fdXX:XXXX:XXXX::/48), made by the first host
 * </pre>
 */
final class ClusterKeys {
    static final String ROOT = "/berth/v1/";
    static final String HOSTS = ROOT + "hosts/";
    static final String NETWORKS = ROOT + "networks/";
    static final String NAMES = ROOT + "names/";
    static final String SUBNETS = ROOT + "subnets/";
    static final String VNIS = ROOT + "vnis/";
    static final String ADDRESSES = ROOT + "addresses/";
    static final String ENDPOINTS = ROOT + "endpoints/";
    static final String IPV6_POOL = ROOT + "ipv6-pool";

    private ClusterKeys() {
    }

    static String host(String engineId) {
        return HOSTS + engineId;
    }

    static String network(NetworkId id) {
        return NETWORKS + id.value();
    }

    static String name(String name) {
        return NAMES + name;
    }

    static String subnet(IpPrefix subnet) {
        return SUBNETS + subnet.masked().toString().replace('/', '_');
    }

    static String vni(int vni) {
        return VNIS + vni;
    }

    static String address(NetworkId network, InetAddress address) {
        return ADDRESSES + network.value() + "/" + IpAddresses.format(address);
    }

    static String endpoint(NetworkId network, EndpointId endpoint) {
        return ENDPOINTS + network.value() + "/" + endpoint.value();
    }
}
