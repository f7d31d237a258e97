package org.jnft.ctl;

import java.io.IOException;
import java.nio.file.Path;
import org.jnft.io.PcapWriter;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.TcpView;

/**
 * The demo's network and traffic: a LAN host and an upstream gateway on either side of the router, with a
 * ping, a TCP connection, a DNS exchange, an IPv6 ping through, a traceroute probe whose TTL runs out, a
 * too-big packet with DF, and a frame for someone else's MAC.
 */
final class DemoTraffic {
    static final String NET = """
            # jnft demo network: a home router between a LAN and an uplink
            link add lan address 02:00:00:00:01:01
            link add wan address 02:00:00:00:02:01 mtu 1400
            addr add 192.168.1.1/24 dev lan
            addr add 2001:db8:1::1/64 dev lan
            addr add 203.0.113.1/24 dev wan
            addr add 2001:db8:2::1/64 dev wan
            route add default via 203.0.113.254 dev wan
            route add default via 2001:db8:2::fe dev wan
            neigh add 192.168.1.10 lladdr 02:00:00:00:01:10 dev lan
            neigh add 2001:db8:1::10 lladdr 02:00:00:00:01:10 dev lan
            neigh add 203.0.113.254 lladdr 02:00:00:00:02:fe dev wan
            neigh add 2001:db8:2::fe lladdr 02:00:00:00:02:fe dev wan
            """;

    /** A home router's stateful forward policy: the LAN opens connections, the uplink only answers. */
    static final String RULES = """
            table inet filter {
                chain forward {
                    type filter hook forward priority filter; policy drop;
                    ct state established,related counter accept
                    ct state invalid counter drop
                    iifname "lan" oifname "wan" ct state new counter accept
                    log prefix "demo-drop: " counter
                }
            }
            """;

    static final long ROUTER_LAN = mac("02:00:00:00:01:01");
    static final long ROUTER_WAN = mac("02:00:00:00:02:01");
    static final long HOST = mac("02:00:00:00:01:10");
    static final long GATEWAY = mac("02:00:00:00:02:fe");
    static final int HOST4 = Addresses.parseIpv4("192.168.1.10");
    static final int ROUTER4 = Addresses.parseIpv4("192.168.1.1");
    static final int SERVER4 = Addresses.parseIpv4("198.51.100.20");
    static final int DNS4 = Addresses.parseIpv4("198.51.100.53");
    static final long[] HOST6 = Addresses.parseIpv6("2001:db8:1::10");
    static final long[] SERVER6 = Addresses.parseIpv6("2001:db8:100::20");
    static final long T0 = 1_764_000_000_000_000_000L;

    private final PcapWriter lan;
    private final PcapWriter wan;
    int lanFrames;
    int wanFrames;

    private DemoTraffic(PcapWriter lan, PcapWriter wan) {
        this.lan = lan;
        this.wan = wan;
    }

    static long mac(String s) {
        return Addresses.parseMac(s);
    }

    /** Writes lan-in.pcap and wan-in.pcap; returns {lan frames, wan frames}. */
    static int[] write(Path lanFile, Path wanFile) throws IOException {
        try (PcapWriter l = PcapWriter.create(lanFile); PcapWriter w = PcapWriter.create(wanFile)) {
            DemoTraffic t = new DemoTraffic(l, w);
            t.generate();
            return new int[] {t.lanFrames, t.wanFrames};
        }
    }

    private void fromLan(double ms, byte[] frame) throws IOException {
        lan.write(T0 + (long) (ms * 1_000_000), frame);
        lanFrames++;
    }

    private void fromWan(double ms, byte[] frame) throws IOException {
        wan.write(T0 + (long) (ms * 1_000_000), frame);
        wanFrames++;
    }

    private PacketBuilder outbound() {
        return PacketBuilder.ether(HOST, ROUTER_LAN).ipv4(HOST4, SERVER4).ttl(64).df(true);
    }

    private PacketBuilder inbound() {
        return PacketBuilder.ether(GATEWAY, ROUTER_WAN).ipv4(SERVER4, HOST4).ttl(52).df(true);
    }

    /** A DNS question for example.com (type A), or its answer 192.0.2.80, as a resolver would send them. */
    static byte[] dnsQuery(boolean answer) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int[] header = {0x1a, 0x2b, answer ? 0x81 : 0x01, answer ? 0x80 : 0x00, 0, 1, 0, answer ? 1 : 0, 0, 0, 0, 0};
        for (int x : header) {
            b.write(x);
        }
        for (String label : new String[] {"example", "com"}) {
            b.write(label.length());
            b.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        b.writeBytes(new byte[] {0, 0, 1, 0, 1});
        if (answer) {
            // name pointer to the question, type A, class IN, TTL 300, 4 bytes of address
            b.writeBytes(new byte[] {(byte) 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, (byte) 192, 0, 2, 80});
        }
        return b.toByteArray();
    }

    private void generate() throws IOException {
        // 1. The host pings the router.
        fromLan(0, PacketBuilder.ether(HOST, ROUTER_LAN).ipv4(HOST4, ROUTER4).ttl(64).icmpEcho(true, 0x1234, 1)
                .payloadLength(56).build());
        // 2. A TCP connection to an HTTPS server: handshake, a request, a response, FIN both ways.
        int syn = TcpView.SYN;
        int ack = TcpView.ACK;
        int fin = TcpView.FIN;
        int psh = TcpView.PSH;
        fromLan(100, outbound().tcp(41000, 443, syn, 1000, 0).window(64240).mss(1460).build());
        fromWan(130, inbound().tcp(443, 41000, syn | ack, 5000, 1001).window(65160).mss(1360).build());
        fromLan(131, outbound().tcp(41000, 443, ack, 1001, 5001).window(502).build());
        fromLan(132, outbound().tcp(41000, 443, psh | ack, 1001, 5001).window(502).payloadLength(517).build());
        fromWan(160, inbound().tcp(443, 41000, ack, 5001, 1518).window(501).build());
        fromWan(161, inbound().tcp(443, 41000, psh | ack, 5001, 1518).window(501).payloadLength(1200).build());
        fromLan(162, outbound().tcp(41000, 443, ack, 1518, 6201).window(501).build());
        fromLan(200, outbound().tcp(41000, 443, fin | ack, 1518, 6201).window(501).build());
        fromWan(230, inbound().tcp(443, 41000, fin | ack, 6201, 1519).window(501).build());
        fromLan(231, outbound().tcp(41000, 443, ack, 1519, 6202).window(501).build());
        // 3. A DNS query and its answer.
        fromLan(300, PacketBuilder.ether(HOST, ROUTER_LAN).ipv4(HOST4, DNS4).ttl(64).udp(53000, 53)
                .payload(dnsQuery(false)).build());
        fromWan(320, PacketBuilder.ether(GATEWAY, ROUTER_WAN).ipv4(DNS4, HOST4).ttl(55).udp(53, 53000)
                .payload(dnsQuery(true)).build());
        // 4. IPv6: the host pings the server through the router.
        fromLan(400, PacketBuilder.ether(HOST, ROUTER_LAN).ipv6(HOST6[0], HOST6[1], SERVER6[0], SERVER6[1])
                .hopLimit(64).icmpv6Echo(true, 0x77, 1).payloadLength(56).build());
        fromWan(420, PacketBuilder.ether(GATEWAY, ROUTER_WAN).ipv6(SERVER6[0], SERVER6[1], HOST6[0], HOST6[1])
                .hopLimit(58).icmpv6Echo(false, 0x77, 1).payloadLength(56).build());
        // 5. A traceroute probe with TTL 1: the router answers time exceeded.
        fromLan(500, PacketBuilder.ether(HOST, ROUTER_LAN).ipv4(HOST4, SERVER4).ttl(1).udp(33434, 33434)
                .payloadLength(32).build());
        // 6. 1500 bytes with DF towards an uplink whose MTU is 1400: fragmentation needed.
        fromLan(600, outbound().udp(40000, 4500).payloadLength(1500 - 28).build());
        // 7. Someone on the Internet tries to open a connection to the host: the policy drops it, logged.
        fromWan(650, PacketBuilder.ether(GATEWAY, ROUTER_WAN).ipv4(Addresses.parseIpv4("192.0.2.66"), HOST4).ttl(50)
                .df(true).tcp(50000, 22, TcpView.SYN, 77, 0).window(1024).build());
        // 8. A frame for another host's MAC: not for the router, dropped (OTHERHOST).
        fromLan(700, PacketBuilder.ether(HOST, mac("02:00:00:00:01:99")).ipv4(HOST4, SERVER4).ttl(64)
                .udp(40001, 9).payloadLength(8).build());
    }
}
