package org.jnft.ctl;

import java.nio.file.Path;
import org.jnft.packet.Addresses;
import org.jnft.packet.ArpView;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.TcpView;

/** Issue 1's forwarding scenarios, shared by the replay tests and the kernel comparison. */
final class ForwardingScenarios {
    static final String NET = """
            # two links; wan has a smaller MTU
            link add lan address 02:00:00:00:0a:01
            link add wan address 02:00:00:00:0b:01 mtu 1400
            addr add 10.0.1.1/24 dev lan
            addr add 2001:db8:a::1/64 dev lan
            addr add 10.0.2.1/24 dev wan
            addr add 2001:db8:b::1/64 dev wan
            route add 198.51.100.0/24 via 10.0.2.2 dev wan
            route add 2001:db8:100::/48 via 2001:db8:b::2 dev wan
            neigh add 10.0.1.2 lladdr 02:00:00:00:0a:02 dev lan
            neigh add 10.0.2.2 lladdr 02:00:00:00:0b:02 dev wan
            neigh add 2001:db8:a::2 lladdr 02:00:00:00:0a:02 dev lan
            neigh add 2001:db8:b::2 lladdr 02:00:00:00:0b:02 dev wan
            neigh add 10.0.1.3 lladdr 02:00:00:00:0a:03 dev lan
            neigh add 2001:db8:a::3 lladdr 02:00:00:00:0a:03 dev lan
            """;
    static final long R_A = Addresses.parseMac("02:00:00:00:0a:01");
    static final long R_B = Addresses.parseMac("02:00:00:00:0b:01");
    static final long HOST_A = Addresses.parseMac("02:00:00:00:0a:02");
    static final long GW_B = Addresses.parseMac("02:00:00:00:0b:02");
    static final int H4 = ip4("10.0.1.2");
    static final int R4 = ip4("10.0.1.1");
    static final int R4B = ip4("10.0.2.1");
    static final int FAR4 = ip4("198.51.100.7");
    static final long[] H6 = Addresses.parseIpv6("2001:db8:a::2");
    static final long[] R6 = Addresses.parseIpv6("2001:db8:a::1");
    static final long[] FAR6 = Addresses.parseIpv6("2001:db8:100::7");

    private ForwardingScenarios() {}

    static int ip4(String s) {
        return Addresses.parseIpv4(s);
    }

    static PacketBuilder fromA4(int dst) {
        return PacketBuilder.ether(HOST_A, R_A).ipv4(H4, dst).ttl(64);
    }

    static PacketBuilder fromA6(long[] dst) {
        return PacketBuilder.ether(HOST_A, R_A).ipv6(H6[0], H6[1], dst[0], dst[1]).hopLimit(64);
    }

    /**
     * The edges of issue 3 that need no neighbour resolution: ICMP rate limiting (8 expired TTLs from one
     * source get 6 answers; 8 expired hop limits 50 ms apart all get theirs, ICMPv6 allowing one each 100 ms
     * after a burst of 6 — kernel-replay cannot send faster than about one frame each 44 ms, so the IPv6
     * limit itself is checked in IcmpRateLimitTest), TCP resets from the router's own addresses, and redirects for a destination on
     * the link the packet came from (IPv4 and IPv6).
     */
    static Scenario edges(Path dir) {
        Scenario s = new Scenario(dir, NET);
        for (int i = 0; i < 8; i++) {
            s.in("lan", fromA4(FAR4).ttl(1).udp(33434 + i, 33434 + i).payloadLength(20).build());
        }
        for (int i = 0; i < 8; i++) {
            s.in("lan", fromA6(FAR6).hopLimit(1).udp(33434 + i, 33434 + i).payloadLength(20).build(), 50);
        }
        s.in("lan", fromA4(R4).df(true).tcp(41000, 22, TcpView.SYN, 1000, 0).window(64240).mss(1460).build());
        s.in("lan", fromA4(R4).df(true).tcp(41001, 22, TcpView.ACK | TcpView.PSH, 5000, 777).window(500)
                .payloadLength(10).build());
        s.in("lan", fromA4(R4).df(true).tos(0x12).tcp(41002, 23, TcpView.FIN, 9000, 0).window(500)
                .payloadLength(3).build());
        s.in("lan", fromA6(R6).tcp(41003, 22, TcpView.SYN, 1000, 0).window(64240).build());
        s.in("lan", fromA4(R4).df(true).tcp(41004, 22, TcpView.RST, 1, 0).build());
        s.in("lan", fromA4(ip4("10.0.1.3")).udp(40020, 9).payloadLength(30).build());
        s.in("lan", fromA6(Addresses.parseIpv6("2001:db8:a::3")).udp(40021, 9).payloadLength(30).build());
        return s;
    }

    /**
     * Neighbour resolution on wan for next hops the NET file does not know: 10.0.2.8 and 2001:db8:b::8
     * answer after half a second (their queued packets go out), 10.0.2.9 and 2001:db8:b::9 never do (three
     * probes a second apart, then host / address unreachable about the queued packet). Needs real time in
     * the oracle (kernel-replay --realtime): Linux's timers run on the wall clock.
     */
    static Scenario neighbours(Path dir) {
        Scenario s = new Scenario(dir, NET);
        int n8 = ip4("10.0.2.8");
        int n9 = ip4("10.0.2.9");
        long[] v8 = Addresses.parseIpv6("2001:db8:b::8");
        long[] v9 = Addresses.parseIpv6("2001:db8:b::9");
        long mac8 = Addresses.parseMac("02:00:00:00:0b:08");
        s.in("lan", fromA4(n8).udp(40100, 9).payloadLength(20).build(), 0);
        s.in("lan", fromA4(n9).udp(40101, 9).payloadLength(20).build(), 10);
        s.in("lan", fromA6(v8).udp(40102, 9).payloadLength(20).build(), 10);
        s.in("lan", fromA6(v9).udp(40103, 9).payloadLength(20).build(), 10);
        s.in("wan", PacketBuilder.ether(mac8, R_B).arp(ArpView.OP_REPLY, mac8, n8, R_B, R4B).build(), 470);
        long[] rb = Addresses.parseIpv6("2001:db8:b::1");
        s.in("wan", PacketBuilder.ether(mac8, R_B).ipv6(v8[0], v8[1], rb[0], rb[1]).hopLimit(255)
                .neighbourAdvert(v8[0], v8[1], false, true, true, mac8).build(), 20);
        s.in("lan", fromA4(n8).udp(40104, 9).payloadLength(20).build(), 3000);
        s.in("lan", fromA6(v8).udp(40105, 9).payloadLength(20).build(), 10);
        return s;
    }

    /** A stateful forward filter: only the LAN opens connections; invalid packets are counted and dropped. */
    static final String STATEFUL = """
            table inet filter {
                chain forward {
                    type filter hook forward priority filter; policy drop;
                    ct original ip saddr 10.0.1.2 meta l4proto tcp ct original proto-dst 443 counter
                    ct direction reply ct reply ip daddr 10.0.1.2 meta l4proto tcp counter
                    ct direction original ct original ip daddr 198.51.100.7 counter
                    ct state established,related counter accept
                    ct state invalid counter drop
                    iifname "lan" ct state new counter accept
                }
            }
            """;

    /**
     * Conntrack on the classic path: a TCP connection from the LAN (handshake, data both ways, FIN both
     * ways), a UDP exchange, a ping through, an ICMP port unreachable for a UDP flow (RELATED, reaches the
     * host), a connection attempt from outside (dropped by policy), and a segment far outside the window
     * (INVALID).
     */
    static Scenario tracked(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = STATEFUL;
        int syn = TcpView.SYN;
        int ack = TcpView.ACK;
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, syn, 1000, 0).window(64240).mss(1460).build());
        s.in("wan", fromB4(FAR4, H4).tcp(443, 41000, syn | ack, 5000, 1001).window(65160).mss(1360).build());
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, ack, 1001, 5001).window(502).build());
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, ack | TcpView.PSH, 1001, 5001).window(502)
                .payloadLength(100).build());
        s.in("wan", fromB4(FAR4, H4).tcp(443, 41000, ack | TcpView.PSH, 5001, 1101).window(501)
                .payloadLength(200).build());
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, ack, 1101, 5201).window(501).build());
        // far outside the window: INVALID
        s.in("wan", fromB4(FAR4, H4).tcp(443, 41000, ack | TcpView.PSH, 900_000_000, 1101).window(501)
                .payloadLength(10).build());
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, TcpView.FIN | ack, 1101, 5201).window(501).build());
        s.in("wan", fromB4(FAR4, H4).tcp(443, 41000, TcpView.FIN | ack, 5201, 1102).window(501).build());
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, ack, 1102, 5202).window(501).build());
        s.in("lan", fromA4(FAR4).udp(40200, 53).payloadLength(30).build());
        s.in("wan", fromB4(FAR4, H4).udp(53, 40200).payloadLength(60).build());
        s.in("lan", fromA4(FAR4).icmpEcho(true, 0x77, 1).payloadLength(32).build());
        s.in("wan", fromB4(FAR4, H4).icmpEcho(false, 0x77, 1).payloadLength(32).build());
        byte[] probe = fromA4(FAR4).udp(40201, 33434).payloadLength(12).build();
        s.in("lan", probe);
        s.in("wan", PacketBuilder.ether(GW_B, R_B).ipv4(FAR4, H4).ttl(50)
                .icmp(3, 3, 0).payload(java.util.Arrays.copyOfRange(probe, 14, probe.length)).build());
        s.in("wan", fromB4(FAR4, H4).tcp(44000, 22, syn, 77, 0).window(1000).build());
        s.in("lan", fromA6(FAR6).udp(40202, 53).payloadLength(30).build());
        s.in("wan", PacketBuilder.ether(GW_B, R_B).ipv6(FAR6[0], FAR6[1], H6[0], H6[1]).hopLimit(50)
                .udp(53, 40202).payloadLength(44).build());
        // a 3000-byte datagram in three fragments, the last first: conntrack's defrag reassembles it and the
        // way out refragments it to the largest fragment received (1020 bytes), not to wan's MTU
        byte[] whole = fromA4(FAR4).id(0x4242).udp(40203, 9).payloadLength(3000 - 28).build();
        for (int off : new int[] {2000, 0, 1000}) {
            int len = Math.min(1000, 2980 - off);
            byte[] chunk = java.util.Arrays.copyOfRange(whole, 34 + off, 34 + off + len);
            s.in("lan", fromA4(FAR4).id(0x4242).fragment(off, off + len < 2980).ipProto(17).payload(chunk).build());
        }
        return s;
    }

    /**
     * Conntrack over time (run with nf_conntrack_udp_timeout=2, in real time in the oracle): a TCP connection
     * picked up mid-stream (nf_conntrack_tcp_loose), a UDP exchange whose entry then expires, so that the
     * server's late answer is a new connection from outside and the policy drops it.
     */
    static Scenario pickupAndExpiry(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = STATEFUL;
        int ack = TcpView.ACK;
        s.in("lan", fromA4(FAR4).df(true).tcp(41500, 80, ack | TcpView.PSH, 7000, 9000).window(500)
                .payloadLength(50).build(), 0);
        s.in("wan", fromB4(FAR4, H4).tcp(80, 41500, ack, 9000, 7050).window(500).build(), 100);
        s.in("lan", fromA4(FAR4).udp(40300, 53).payloadLength(30).build(), 100);
        s.in("wan", fromB4(FAR4, H4).udp(53, 40300).payloadLength(60).build(), 100);
        s.in("wan", fromB4(FAR4, H4).udp(53, 40300).payloadLength(61).build(), 3500);
        s.in("lan", fromA4(FAR4).df(true).tcp(41500, 80, ack, 7050, 9000).window(500).build(), 100);
        return s;
    }

    /** A home gateway's NAT: masquerade out of wan, and port 8080 on wan forwarded to the LAN host's port 80. */
    static final String NAT = """
            table ip nat {
                chain pre {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "wan" tcp dport 8080 dnat to 10.0.1.2:80
                }
                chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "wan" masquerade
                }
            }
            """;

    /**
     * NAT: TCP and UDP and a ping through masquerade (replies to the router's wan address go back to the
     * host), an ICMP port unreachable about the masqueraded UDP flow translated back to the host, and a DNAT
     * port forward from outside.
     */
    static Scenario natted(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = NAT;
        int wanAddr = R4B;
        int syn = TcpView.SYN;
        int ack = TcpView.ACK;
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, syn, 1000, 0).window(64240).mss(1460).build());
        s.in("wan", fromB4(FAR4, wanAddr).tcp(443, 41000, syn | ack, 5000, 1001).window(65160).mss(1360).build());
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, ack, 1001, 5001).window(502).build());
        byte[] dns = fromA4(FAR4).udp(40300, 53).payloadLength(30).build();
        s.in("lan", dns);
        s.in("wan", fromB4(FAR4, wanAddr).udp(53, 40300).payloadLength(60).build());
        s.in("lan", fromA4(FAR4).icmpEcho(true, 0x55, 1).payloadLength(32).build());
        s.in("wan", fromB4(FAR4, wanAddr).icmpEcho(false, 0x55, 1).payloadLength(32).build());
        // the masqueraded datagram as it left (source 10.0.2.1), quoted in a port unreachable from the server
        byte[] out = fromB4(wanAddr, FAR4).ttl(63).df(false).udp(40301, 33434).payloadLength(12).build();
        s.in("lan", fromA4(FAR4).udp(40301, 33434).payloadLength(12).build());
        s.in("wan", PacketBuilder.ether(GW_B, R_B).ipv4(FAR4, wanAddr).ttl(50)
                .icmp(3, 3, 0).payload(java.util.Arrays.copyOfRange(out, 14, out.length)).build());
        s.in("wan", fromB4(FAR4, wanAddr).tcp(45000, 8080, syn, 700, 0).window(1000).build());
        s.in("lan", PacketBuilder.ether(HOST_A, R_A).ipv4(H4, FAR4).ttl(64).df(true)
                .tcp(80, 45000, syn | ack, 9000, 701).window(1000).build());
        return s;
    }

    static PacketBuilder fromB4(int src, int dst) {
        return PacketBuilder.ether(GW_B, R_B).ipv4(src, dst).ttl(50).df(true);
    }

    /** A filter ruleset on every hook of the forwarding path, for {@link #everything}. */
    static final String FILTER = """
            table inet filter {
                chain input {
                    type filter hook input priority filter; policy accept;
                    ip saddr 10.0.1.2 icmp type echo-request ip daddr 10.0.2.1 drop
                    iifname "lan" ip6 nexthdr udp drop
                }
                chain forward {
                    type filter hook forward priority filter; policy accept;
                    ip daddr 198.51.100.7 tcp dport 80 counter drop
                    iif "lan" oif "wan" meta l4proto udp ip6 daddr 2001:db8:100::/48 udp dport 53 drop
                    udp sport 40003 drop
                }
                chain output {
                    type filter hook output priority filter; policy accept;
                    icmpv6 type time-exceeded drop
                    icmp type destination-unreachable icmp code port-unreachable drop
                }
            }
            table netdev edge {
                chain in {
                    type filter hook ingress device "wan" priority 0; policy accept;
                    ip6 saddr 2001:db8:100::7 udp sport 53 drop
                }
            }
            table ip raw {
                chain pre {
                    type filter hook prerouting priority raw; policy accept;
                    ip saddr 198.51.100.7 udp sport 53 ip ttl < 51 drop
                }
            }
            """;

    /** Every behaviour of issue 1 that Linux shows on the wire, IPv4 and IPv6. */
    static Scenario everything(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.in("lan", PacketBuilder.ether(HOST_A, 0xffff_ffff_ffffL).arp(ArpView.OP_REQUEST, HOST_A, H4, 0, R4).build());
        s.in("lan", fromA4(R4).icmpEcho(true, 0x4242, 1).payloadLength(56).build());
        s.in("lan", fromA4(R4B).icmpEcho(true, 0x4242, 2).payloadLength(56).build());
        s.in("lan", fromA4(FAR4).udp(40000, 53).payloadLength(30).build());
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 80, TcpView.SYN, 1000, 0).window(64240).mss(1460).build());
        s.in("lan", fromA4(FAR4).ttl(1).udp(33434, 33434).payloadLength(32).build());
        s.in("lan", fromA4(ip4("203.0.113.9")).udp(40001, 53).payloadLength(10).build());
        s.in("lan", fromA4(FAR4).df(true).udp(40002, 9).payloadLength(1450 - 28).build());
        s.in("lan", fromA4(FAR4).id(0x3131).udp(40003, 9).payloadLength(1450 - 28).build());
        s.in("lan", fromA4(R4).udp(40004, 9).payloadLength(12).build());
        s.in("lan", PacketBuilder.ether(HOST_A, Addresses.parseMac("02:00:00:00:0a:99")).ipv4(H4, FAR4).ttl(64)
                .udp(40005, 9).payloadLength(8).build());
        long[] solicited = Addresses.parseIpv6("ff02::1:ff00:1");
        s.in("lan", PacketBuilder.ether(HOST_A, 0x3333_ff00_0001L).ipv6(H6[0], H6[1], solicited[0], solicited[1])
                .hopLimit(255).neighbourSolicit(R6[0], R6[1], HOST_A).build());
        s.in("lan", fromA6(R6).icmpv6Echo(true, 0x99, 1).payloadLength(56).build());
        s.in("lan", fromA6(FAR6).udp(40010, 53).payloadLength(30).build());
        s.in("lan", fromA6(FAR6).hopLimit(1).udp(40011, 33434).payloadLength(20).build());
        s.in("lan", fromA6(Addresses.parseIpv6("2001:db8:ffff::1")).udp(40012, 53).payloadLength(10).build());
        s.in("lan", fromA6(FAR6).udp(40013, 9).payloadLength(1450 - 48).build());
        s.in("lan", fromA6(R6).udp(40014, 9).payloadLength(12).build());
        s.in("wan", PacketBuilder.ether(GW_B, R_B).ipv4(FAR4, H4).ttl(50).udp(53, 40000).payloadLength(40).build());
        s.in("wan", PacketBuilder.ether(GW_B, R_B).ipv6(FAR6[0], FAR6[1], H6[0], H6[1]).hopLimit(50)
                .udp(53, 40010).payloadLength(40).build());
        return s;
    }
}
