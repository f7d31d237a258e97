package org.jnft.ctl;

import static org.jnft.ctl.ForwardingScenarios.FAR4;
import static org.jnft.ctl.ForwardingScenarios.FAR6;
import static org.jnft.ctl.ForwardingScenarios.GW_B;
import static org.jnft.ctl.ForwardingScenarios.H4;
import static org.jnft.ctl.ForwardingScenarios.H6;
import static org.jnft.ctl.ForwardingScenarios.HOST_A;
import static org.jnft.ctl.ForwardingScenarios.NET;
import static org.jnft.ctl.ForwardingScenarios.R4B;
import static org.jnft.ctl.ForwardingScenarios.R_A;
import static org.jnft.ctl.ForwardingScenarios.R_B;
import static org.jnft.ctl.ForwardingScenarios.fromA4;
import static org.jnft.ctl.ForwardingScenarios.fromA6;
import static org.jnft.ctl.ForwardingScenarios.fromB4;
import static org.jnft.ctl.ForwardingScenarios.ip4;

import java.nio.file.Path;
import java.util.Arrays;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.TcpView;

/**
 * Issue 6's NAT scenarios beyond ForwardingScenarios.natted, on the same network: two LAN hosts (10.0.1.2 and
 * 10.0.1.3, 2001:db8:a::2 and ::3) behind the router, the far side (198.51.100.7, 2001:db8:100::7) through the
 * gateway on wan.
 */
final class NatScenarios {
    static final long HOST_B = Addresses.parseMac("02:00:00:00:0a:03");
    static final int H4B = ip4("10.0.1.3");
    static final long[] H6B = Addresses.parseIpv6("2001:db8:a::3");
    static final long[] R6B = Addresses.parseIpv6("2001:db8:b::1");
    static final int SYN = TcpView.SYN;
    static final int ACK = TcpView.ACK;

    private NatScenarios() {}

    static PacketBuilder fromB4h(int dst) {
        return PacketBuilder.ether(HOST_B, R_A).ipv4(H4B, dst).ttl(64);
    }

    static PacketBuilder fromGw6(long[] dst) {
        return PacketBuilder.ether(GW_B, R_B).ipv6(FAR6[0], FAR6[1], dst[0], dst[1]).hopLimit(50);
    }

    /** Plain masquerade: the clash of the second host is resolved with a random port (Linux: get_random_u16). */
    static final String MASQ = """
            table ip nat {
                chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "wan" masquerade
                }
            }
            """;

    /**
     * Two LAN hosts open a TCP connection, a UDP flow and a ping to the same server from the same source port
     * (and echo id): the first keeps its port, the second gets another one (random); the server answers the
     * first host's.
     */
    static Scenario samePortRandom(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = MASQ;
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, SYN, 1000, 0).window(64240).build());
        s.in("lan", fromB4h(FAR4).df(true).tcp(41000, 443, SYN, 7000, 0).window(64240).build());
        s.in("lan", fromA4(FAR4).udp(5000, 53).payloadLength(20).build());
        s.in("lan", fromB4h(FAR4).udp(5000, 53).payloadLength(21).build());
        s.in("lan", fromA4(FAR4).icmpEcho(true, 0x77, 1).payloadLength(16).build());
        s.in("lan", fromB4h(FAR4).icmpEcho(true, 0x77, 1).payloadLength(16).build());
        s.in("wan", fromB4(FAR4, R4B).tcp(443, 41000, SYN | ACK, 5000, 1001).window(65160).build());
        s.in("wan", fromB4(FAR4, R4B).udp(53, 5000).payloadLength(40).build());
        s.in("wan", fromB4(FAR4, R4B).icmpEcho(false, 0x77, 1).payloadLength(16).build());
        return s;
    }

    /** Answers to the second host's translated port and echo id (learnt from a first run). */
    static void answersToSecondHost(Scenario s, int tcpPort, int udpPort, int echoId) {
        s.in("wan", fromB4(FAR4, R4B).tcp(443, tcpPort, SYN | ACK, 9000, 7001).window(65160).build());
        s.in("wan", fromB4(FAR4, R4B).udp(53, udpPort).payloadLength(41).build());
        s.in("wan", fromB4(FAR4, R4B).icmpEcho(false, echoId, 1).payloadLength(16).build());
    }

    /** Masquerade to a two-port range: the second host's clash has exactly one answer. */
    static final String MASQ_RANGE = """
            table ip nat {
                chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "wan" meta l4proto tcp masquerade to :41000-41001
                    oifname "wan" meta l4proto udp masquerade to :41000-41001
                }
            }
            """;

    /**
     * Two LAN hosts on source port 41000 to the same server through masquerade to ports 41000-41001: the
     * first keeps 41000 (in the range and free), the second gets 41001 (the only free one); both handshakes
     * complete and the server's answers reach the right host; UDP alike.
     */
    static Scenario samePortRange(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = MASQ_RANGE;
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, SYN, 1000, 0).window(64240).build());
        s.in("lan", fromB4h(FAR4).df(true).tcp(41000, 443, SYN, 7000, 0).window(64240).build());
        s.in("wan", fromB4(FAR4, R4B).tcp(443, 41001, SYN | ACK, 9000, 7001).window(65160).build());
        s.in("wan", fromB4(FAR4, R4B).tcp(443, 41000, SYN | ACK, 5000, 1001).window(65160).build());
        s.in("lan", fromB4h(FAR4).df(true).tcp(41000, 443, ACK, 7001, 9001).window(502).build());
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, ACK, 1001, 5001).window(502).build());
        s.in("lan", fromA4(FAR4).udp(41000, 53).payloadLength(20).build());
        s.in("lan", fromB4h(FAR4).udp(41000, 53).payloadLength(21).build());
        s.in("wan", fromB4(FAR4, R4B).udp(53, 41001).payloadLength(41).build());
        s.in("wan", fromB4(FAR4, R4B).udp(53, 41000).payloadLength(40).build());
        return s;
    }

    /** Source NAT to an outside address and an 11-port range (in an inet table: {@code snat ip to}). */
    static final String SNAT_RANGE = """
            table inet nat {
                chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "wan" meta l4proto tcp snat ip to 198.51.100.1:2000-2010
                }
            }
            """;

    /**
     * snat to 198.51.100.1:2000-2010: ten connections from source ports 2000-2009 keep their ports (in the
     * range, free), one from port 5000 gets the only free one (2010), and the second host's connection from
     * port 2000 finds the range exhausted: its tuple clashes at confirmation and the SYN is dropped. Answers
     * to 2003 and 2010 reach the first host's ports 2003 and 5000.
     */
    static Scenario snatPortRange(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = SNAT_RANGE;
        for (int p = 2000; p < 2010; p++) {
            s.in("lan", fromA4(FAR4).df(true).tcp(p, 80, SYN, 100 * p, 0).window(64240).build());
        }
        s.in("lan", fromA4(FAR4).df(true).tcp(5000, 80, SYN, 1000, 0).window(64240).build());
        s.in("lan", fromB4h(FAR4).df(true).tcp(2000, 80, SYN, 7000, 0).window(64240).build());
        int pub = ip4("198.51.100.1");
        s.in("wan", fromB4(FAR4, pub).tcp(80, 2003, SYN | ACK, 5000, 200_301).window(65160).build());
        s.in("wan", fromB4(FAR4, pub).tcp(80, 2010, SYN | ACK, 6000, 1001).window(65160).build());
        return s;
    }

    /** Source NAT to an address range: the address is a hash of source and destination (or source only). */
    static final String SNAT_ADDRESSES = """
            table ip nat {
                chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "wan" meta l4proto udp snat to 198.51.100.1-198.51.100.4
                    oifname "wan" meta l4proto icmp snat to 198.51.100.1-198.51.100.4 persistent
                }
            }
            """;

    /**
     * snat to 198.51.100.1-198.51.100.4: find_best_ips_proto's jhash picks the address per source and
     * destination (without {@code persistent}) or per source only (with it, here for pings); Linux hashes the
     * words as a little-endian host reads them, and so must jnft to pick the same ones.
     */
    static Scenario snatAddressRange(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = SNAT_ADDRESSES;
        for (int d = 7; d < 13; d++) {
            int dst = ip4("198.51.100." + d);
            s.in("lan", fromA4(dst).udp(40000 + d, 53).payloadLength(20).build());
            s.in("lan", fromB4h(dst).udp(41000 + d, 53).payloadLength(20).build()); // no clash: no random port
            s.in("lan", fromA4(dst).icmpEcho(true, 0x100 + d, 1).payloadLength(8).build());
            s.in("lan", fromB4h(dst).icmpEcho(true, 0x200 + d, 1).payloadLength(8).build());
        }
        return s;
    }

    /** redirect from both sides, IPv4 and IPv6: to closed ports of the router, so that it answers itself. */
    static final String REDIRECT = """
            table ip nat {
                chain pre {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "wan" tcp dport 80 redirect to :8080
                    iifname "lan" tcp dport 80 redirect to :3128
                    iifname "lan" udp dport 53 redirect to :5353
                }
            }
            table ip6 nat {
                chain pre {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "wan" tcp dport 80 redirect to :8080
                    iifname "lan" udp dport 53 redirect to :5353
                }
            }
            """;

    /**
     * redirect: a SYN from outside to the router's port 80 goes to 8080, a LAN host's SYN to a far server's
     * port 80 to the router's lan address port 3128 (a transparent proxy that is not running), a LAN host's DNS
     * query to the router's port 5353. Nothing listens: the resets come back from the addresses and ports the
     * senders used (de-NATed at output), and the port unreachable for the query from the far server, its
     * quoted datagram translated back too. IPv6 alike.
     */
    static Scenario redirect(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = REDIRECT;
        s.in("wan", fromB4(FAR4, R4B).tcp(45000, 80, SYN, 700, 0).window(1000).build());
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 80, SYN, 1000, 0).window(64240).build());
        s.in("lan", fromA4(FAR4).udp(40000, 53).payloadLength(20).build());
        s.in("wan", fromGw6(R6B).tcp(45001, 80, SYN, 700, 0).window(1000).build());
        s.in("lan", fromA6(FAR6).udp(40001, 53).payloadLength(20).build());
        return s;
    }

    /** IPv6 NAT in an inet table: a port forward, source NAT of one flow to another address, masquerade. */
    static final String NAT6 = """
            table inet nat {
                chain pre {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "wan" meta nfproto ipv6 tcp dport 8080 dnat ip6 to [2001:db8:a::2]:80
                }
                chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "wan" udp dport 9 snat ip6 to 2001:db8:b::99
                    oifname "wan" meta nfproto ipv6 masquerade
                }
            }
            """;

    /**
     * IPv6 NAT: a TCP handshake and data through masquerade (to 2001:db8:b::1), a ping, a UDP flow to port 9
     * source-NATed to 2001:db8:b::99 with its answer, a port unreachable from the server about a masqueraded
     * datagram (outer and quoted packet translated back to the host), and a port forward from outside.
     */
    static Scenario ipv6(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = NAT6;
        long[] snat = Addresses.parseIpv6("2001:db8:b::99");
        s.in("lan", fromA6(FAR6).tcp(41000, 443, SYN, 1000, 0).window(64240).mss(1440).build());
        s.in("wan", fromGw6(R6B).tcp(443, 41000, SYN | ACK, 5000, 1001).window(65160).mss(1360).build());
        s.in("lan", fromA6(FAR6).tcp(41000, 443, ACK, 1001, 5001).window(502).build());
        s.in("lan", fromA6(FAR6).tcp(41000, 443, ACK | TcpView.PSH, 1001, 5001).window(502).payloadLength(30).build());
        s.in("lan", fromA6(FAR6).icmpv6Echo(true, 0x66, 1).payloadLength(24).build());
        s.in("wan", fromGw6(R6B).icmpv6Echo(false, 0x66, 1).payloadLength(24).build());
        s.in("lan", fromA6(FAR6).udp(40500, 9).payloadLength(20).build());
        s.in("wan", fromGw6(snat).udp(9, 40500).payloadLength(30).build());
        // the masqueraded datagram as it left, quoted in a port unreachable from the server
        byte[] out = PacketBuilder.ether(R_B, GW_B).ipv6(R6B[0], R6B[1], FAR6[0], FAR6[1]).hopLimit(63)
                .udp(40501, 33434).payloadLength(12).build();
        s.in("lan", fromA6(FAR6).udp(40501, 33434).payloadLength(12).build());
        s.in("wan", fromGw6(R6B).icmpv6(1, 4, 0).payload(Arrays.copyOfRange(out, 14, out.length)).build());
        s.in("wan", fromGw6(R6B).tcp(45000, 8080, SYN, 700, 0).window(1000).build());
        s.in("lan", PacketBuilder.ether(HOST_A, R_A).ipv6(H6[0], H6[1], FAR6[0], FAR6[1]).hopLimit(64)
                .tcp(80, 45000, SYN | ACK, 9000, 701).window(1000).build());
        return s;
    }

    /** Port forwards through maps: port to address (named), address . port to address . port (anonymous). */
    static final String MAPS = """
            table ip nat {
                map ports {
                    type inet_service : ipv4_addr
                    elements = { 80 : 10.0.1.2, 8080 : 10.0.1.3 }
                }

                chain pre {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "wan" ip daddr 10.0.2.1 tcp dport { 80, 8080 } dnat to tcp dport map @ports
                    iifname "wan" ip daddr 10.0.2.1 dnat to ip daddr . tcp dport map { 10.0.2.1 . 443 : 10.0.1.2 . 8443, 10.0.2.1 . 2222 : 10.0.1.3 . 22 }
                    iifname "wan" udp dport 5000 dnat to udp dport map { 5000 : 10.0.1.3 . 53 }
                }
            }
            """;

    /** Connections from outside to the router's wan address, forwarded by the maps, with the hosts' answers. */
    static Scenario maps(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = MAPS;
        s.in("wan", fromB4(FAR4, R4B).tcp(45000, 80, SYN, 700, 0).window(1000).build());
        s.in("lan", PacketBuilder.ether(HOST_A, R_A).ipv4(H4, FAR4).ttl(64).df(true)
                .tcp(80, 45000, SYN | ACK, 9000, 701).window(1000).build());
        s.in("wan", fromB4(FAR4, R4B).tcp(45001, 8080, SYN, 800, 0).window(1000).build());
        s.in("wan", fromB4(FAR4, R4B).tcp(45002, 443, SYN, 900, 0).window(1000).build());
        s.in("lan", PacketBuilder.ether(HOST_A, R_A).ipv4(H4, FAR4).ttl(64).df(true)
                .tcp(8443, 45002, SYN | ACK, 9100, 901).window(1000).build());
        s.in("wan", fromB4(FAR4, R4B).tcp(45003, 2222, SYN, 1000, 0).window(1000).build());
        s.in("lan", PacketBuilder.ether(HOST_B, R_A).ipv4(H4B, FAR4).ttl(64).df(true)
                .tcp(22, 45003, SYN | ACK, 9200, 1001).window(1000).build());
        s.in("wan", fromB4(FAR4, R4B).udp(45004, 5000).payloadLength(30).build());
        s.in("lan", PacketBuilder.ether(HOST_B, R_A).ipv4(H4B, FAR4).ttl(64).udp(53, 45004).payloadLength(60).build());
        return s;
    }

    /** Source NAT at input: the router's own answers go to the translated address until output NAT restores it. */
    static final String INPUT_SNAT = """
            table ip nat {
                chain in {
                    type nat hook input priority 100; policy accept;
                    ip saddr 198.51.100.7 snat to 10.0.2.50
                }
            }
            table ip6 nat {
                chain in {
                    type nat hook input priority 100; policy accept;
                    ip6 saddr 2001:db8:100::7 snat to 2001:db8:b::50
                }
            }
            """;

    /**
     * The router answers (echo reply, TCP reset, port unreachable) a far host whose packets were source-NATed
     * at input to an address on wan's subnet (10.0.2.50, 2001:db8:b::50): the answer is routed towards that
     * address, translated back at output to the far host, and must then be routed again (ip_route_me_harder),
     * through the gateway instead of to a neighbour that does not exist.
     */
    static Scenario inputSnat(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = INPUT_SNAT;
        s.in("wan", fromB4(FAR4, R4B).icmpEcho(true, 0x99, 1).payloadLength(24).build());
        s.in("wan", fromB4(FAR4, R4B).tcp(45000, 23, SYN, 700, 0).window(1000).build());
        s.in("wan", fromB4(FAR4, R4B).df(false).udp(45001, 9).payloadLength(10).build());
        s.in("wan", fromGw6(R6B).icmpv6Echo(true, 0x99, 1).payloadLength(24).build());
        s.in("wan", fromGw6(R6B).tcp(45002, 23, SYN, 700, 0).window(1000).build());
        s.in("wan", fromGw6(R6B).udp(45003, 9).payloadLength(10).build(), 150);
        return s;
    }

    /** Port forwards whose packets a forward filter then rejects. */
    static final String REJECT_NATTED = """
            table ip nat {
                chain pre {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "wan" tcp dport 8080 dnat to 10.0.1.2:80
                    iifname "wan" udp dport 5000 dnat to 10.0.1.2:53
                }
                chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "wan" masquerade
                }
            }
            table ip6 nat {
                chain pre {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "wan" tcp dport 8080 dnat to [2001:db8:a::2]:80
                    iifname "wan" udp dport 5000 dnat to [2001:db8:a::2]:53
                }
            }
            table inet filter {
                chain forward {
                    type filter hook forward priority filter; policy accept;
                    tcp dport 80 reject with tcp reset
                    udp dport 53 reject
                }
            }
            """;

    /**
     * The router's resets and unreachables for packets NAT already touched: a port-forwarded SYN and datagram
     * rejected in forward: the answers must come from the address and port the sender used.
     */
    static Scenario rejectNatted(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = REJECT_NATTED;
        s.in("wan", fromB4(FAR4, R4B).tcp(45000, 8080, SYN, 700, 0).window(1000).build());
        s.in("wan", fromB4(FAR4, R4B).df(false).udp(45001, 5000).payloadLength(10).build());
        s.in("wan", fromGw6(R6B).tcp(45002, 8080, SYN, 700, 0).window(1000).build());
        s.in("wan", fromGw6(R6B).udp(45003, 5000).payloadLength(10).build(), 150);
        return s;
    }
}
