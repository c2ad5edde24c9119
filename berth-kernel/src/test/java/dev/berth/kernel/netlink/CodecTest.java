package dev.berth.kernel.netlink;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Message encoding against hand-computed bytes (x86-64/arm64 little-endian host order) and
 * decoding of hand-built replies.
 */
class CodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String spaced) {
        return HEX.parseHex(spaced.replaceAll("\\s+", ""));
    }

    @Test
    void newAddressV4() throws Exception {
        byte[] msg = AddressCodec.add(new AddressSpec(7, InetAddress.getByName("10.1.2.3"), 24, false)).build(1);
        assertEquals(HEX.formatHex(hex("""
                30000000 1400 0506 01000000 00000000
                02 18 00 00 07000000
                0800 0200 0a010203
                0800 0100 0a010203
                0800 0400 0a0102ff
                """)), HEX.formatHex(msg));
    }

    @Test
    void newAddressV6NoDad() throws Exception {
        byte[] msg = AddressCodec.add(new AddressSpec(3, InetAddress.getByName("fd00::1"), 64, true)).build(9);
        assertEquals(HEX.formatHex(hex("""
                34000000 1400 0506 09000000 00000000
                0a 40 02 00 03000000
                1400 0100 fd000000000000000000000000000001
                0800 0800 02000000
                """)), HEX.formatHex(msg));
    }

    @Test
    void proxyNeighbourCarriesItsProtocolMark() throws Exception {
        byte[] msg = NeighbourCodec.addProxy(5, InetAddress.getByName("2001:db8::1:0:0:2"), 98).build(3);
        assertEquals(HEX.formatHex(hex("""
                38000000 1c00 0505 03000000 00000000
                0a 00 0000 05000000 8000 08 00
                1400 0100 20010db8000000000001000000000002
                0500 0c00 62 000000
                """)), HEX.formatHex(msg));
        byte[] plain = NeighbourCodec.addProxy(5, InetAddress.getByName("2001:db8::1:0:0:2"), 0).build(3);
        assertEquals(0x30, plain[0], "no NDA_PROTOCOL without a mark");
        byte[] get = NeighbourCodec.getProxy(5, InetAddress.getByName("2001:db8::1:0:0:2")).build(4);
        assertEquals(HEX.formatHex(hex("""
                30000000 1e00 0500 04000000 00000000
                0a 00 0000 05000000 0000 08 00
                1400 0100 20010db8000000000001000000000002
                """)), HEX.formatHex(get));
    }

    @Test
    void bridgeGroupIsPartOfTheCreatingMessage() {
        byte[] msg = LinkCodec.newBridge(new BridgeSpec("br0", 0, null, true, 0x62727468)).build(2);
        assertEquals(HEX.formatHex(hex("""
                40000000 1000 0506 02000000 00000000
                00 00 0000 00000000 00000000 00000000
                0800 0300 62723000
                0800 1b00 68747262
                1000 1200
                  0b00 0100 627269646765 00 00
                """)), HEX.formatHex(msg));
    }

    @Test
    void bridgeNestAlignsPaddedChildren() {
        byte[] msg = LinkCodec.newBridge(new BridgeSpec("br0", 1400, null)).build(2);
        // IFLA_INFO_KIND "bridge\0" is 4+7 = 11 bytes, padded to 12; the IFLA_LINKINFO nest
        // counts the padding: 4 + 12 = 16.
        assertEquals(HEX.formatHex(hex("""
                40000000 1000 0506 02000000 00000000
                00 00 0000 00000000 00000000 00000000
                0800 0300 62723000
                0800 0400 78050000
                1000 1200
                  0b00 0100 627269646765 00 00
                """)), HEX.formatHex(msg));
    }

    @Test
    void vethPeerCarriesItsOwnIfinfomsg() {
        byte[] mac = Mac.parse("02:42:ac:11:00:02");
        byte[] msg = LinkCodec.newVeth(new VethSpec("veth1", "eth0", mac, 1400, 5, true, null)).build(3);
        ByteBuffer b = ByteBuffer.wrap(msg).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(msg.length, b.getInt(0));
        assertEquals(1, b.getInt(16 + 8), "ifi_flags IFF_UP");
        assertEquals(1, b.getInt(16 + 12), "ifi_change IFF_UP");

        NlAttrs top = NlAttrs.parse(b.slice(16, msg.length - 16).order(ByteOrder.LITTLE_ENDIAN), 16);
        assertEquals("veth1", top.string(Uapi.IFLA_IFNAME));
        assertEquals(5, top.u32(Uapi.IFLA_MASTER, 0));
        assertEquals(1400, top.u32(Uapi.IFLA_MTU, 0));
        NlAttrs info = top.nested(Uapi.IFLA_LINKINFO);
        assertEquals("veth", info.string(Uapi.IFLA_INFO_KIND));
        byte[] peer = info.nested(Uapi.IFLA_INFO_DATA).bytes(Uapi.VETH_INFO_PEER);
        assertArrayEquals(new byte[16], java.util.Arrays.copyOf(peer, 16), "zeroed ifinfomsg heads the peer");
        NlAttrs peerAttrs = NlAttrs.parse(ByteBuffer.wrap(peer).order(ByteOrder.LITTLE_ENDIAN), 16);
        assertEquals("eth0", peerAttrs.string(Uapi.IFLA_IFNAME));
        assertArrayEquals(mac, peerAttrs.bytes(Uapi.IFLA_ADDRESS));
        assertEquals(1400, peerAttrs.u32(Uapi.IFLA_MTU, 0));
        assertFalse(peerAttrs.has(Uapi.IFLA_NET_NS_FD));
    }

    @Test
    void hairpinUsesNestedFlagOnProtinfo() {
        byte[] msg = LinkCodec.hairpin(4, true).build(5);
        assertEquals(HEX.formatHex(hex("""
                2c000000 1300 0500 05000000 00000000
                07 00 0000 04000000 00000000 00000000
                0c00 0c80
                  0500 0400 01 000000
                """)), HEX.formatHex(msg));
    }

    @Test
    void defaultRouteV6() throws Exception {
        byte[] msg = RouteCodec.add(RouteSpec.defaultVia(InetAddress.getByName("fd00::1"))).build(6);
        assertEquals(HEX.formatHex(hex("""
                30000000 1800 0506 06000000 00000000
                0a 00 00 00 fe 04 00 01 00000000
                1400 0500 fd000000000000000000000000000001
                """)), HEX.formatHex(msg));
    }

    @Test
    void decodesLinkFromMultiMessageDatagram() {
        byte[] datagram = hex("""
                5c000000 1000 0200 2a000000 00000000
                00 00 0100 05000000 43100100 00000000
                0800 0300 65746830
                0800 0400 dc050000
                0a00 0100 0242ac110002 0000
                0800 0a00 03000000
                0500 1000 06 000000
                1000 1200
                  0900 0100 7665746800 000000
                14000000 0300 0200 2a000000 00000000
                00000000
                """);
        List<NlMessage> msgs = NlMessage.split(ByteBuffer.wrap(datagram));
        assertEquals(2, msgs.size());
        assertEquals(Uapi.NLMSG_DONE, msgs.get(1).type());
        Link link = LinkCodec.decode(msgs.get(0));
        assertEquals(new Link(5, "eth0", "veth", 1500, Mac.parse("02:42:ac:11:00:02"), true, 3, Link.OPER_UP, 0), link);
    }

    @Test
    void decodesErrorWithExtendedAck() {
        byte[] datagram = hex("""
                3c000000 0200 0003 07000000 00000000
                efffffff
                20000000 1000 0506 07000000 00000000
                1600 0100 4174747269627574652066 61696c65642100 0000
                """);
        NlMessage m = NlMessage.split(ByteBuffer.wrap(datagram)).get(0);
        assertEquals(Uapi.NLMSG_ERROR, m.type());
        assertEquals(17, m.errorCode());
        assertEquals("Attribute failed!", m.extAckMessage());
    }

    @Test
    void broadcastAddress() {
        assertArrayEquals(new byte[] {10, 1, 2, (byte) 255}, AddressCodec.broadcast(new byte[] {10, 1, 2, 3}, 24));
        assertArrayEquals(new byte[] {(byte) 172, 31, (byte) 255, (byte) 255},
                AddressCodec.broadcast(new byte[] {(byte) 172, 31, 0, 2}, 16));
    }
}
