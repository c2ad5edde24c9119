package dev.berth.kernel.netlink;

/** Numbers from the Linux uapi headers (netlink.h, rtnetlink.h, if_link.h, if_addr.h, neighbour.h). */
final class Uapi {
    private Uapi() {}

    static final int NETLINK_ROUTE = 0;
    static final int NETLINK_NETFILTER = 12;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;

    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;

    static final int NLM_F_REQUEST = 0x01;
    static final int NLM_F_MULTI = 0x02;
    static final int NLM_F_ACK = 0x04;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int NLM_F_ROOT = 0x100;
    static final int NLM_F_MATCH = 0x200;
    static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    /** On NLMSG_ERROR: the echoed request was cut to its header. */
    static final int NLM_F_CAPPED = 0x100;
    /** On NLMSG_ERROR: extended-ack attributes follow the echoed request. */
    static final int NLM_F_ACK_TLVS = 0x200;
    static final int NLMSGERR_ATTR_MSG = 1;

    static final int NLA_F_NESTED = 0x8000;
    static final int NLA_TYPE_MASK = 0x3fff;

    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_SETLINK = 19;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_GETROUTE = 26;
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_DELNEIGH = 29;
    static final int RTM_GETNEIGH = 30;

    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_BRIDGE = 7;
    static final int AF_INET6 = 10;

    static final int IFF_UP = 0x1;

    static final int IFINFOMSG_LEN = 16;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_MASTER = 10;
    static final int IFLA_PROTINFO = 12;
    static final int IFLA_OPERSTATE = 16;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_GROUP = 27;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int IFLA_BR_MCAST_SNOOPING = 23;
    static final int VETH_INFO_PEER = 1;
    static final int IFLA_BRPORT_MODE = 4;

    static final int IFADDRMSG_LEN = 8;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_BROADCAST = 4;
    static final int IFA_FLAGS = 8;
    static final int IFA_F_NODAD = 0x02;

    static final int RTMSG_LEN = 12;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_TABLE = 15;
    static final int RT_TABLE_MAIN = 254;
    static final int RTPROT_STATIC = 4;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_LINK = 253;
    static final int RT_SCOPE_NOWHERE = 255;
    static final int RTN_UNICAST = 1;

    static final int NDMSG_LEN = 12;
    static final int NDA_DST = 1;
    /** u8: who made the entry, as RTPROT_* for routes (Linux 5.0+; the kernel keeps it, also on proxy entries). */
    static final int NDA_PROTOCOL = 12;
    static final int NUD_PERMANENT = 0x80;
    static final int NTF_PROXY = 0x08;
    static final int NDA_LLADDR = 2;
    static final int NTF_SELF = 0x02;

    static final int IFLA_VXLAN_ID = 1;
    static final int IFLA_VXLAN_LOCAL = 4;
    static final int IFLA_VXLAN_LEARNING = 7;
    static final int IFLA_VXLAN_PROXY = 11;
    static final int IFLA_VXLAN_PORT = 15;
    static final int IFLA_VXLAN_LOCAL6 = 17;
}
