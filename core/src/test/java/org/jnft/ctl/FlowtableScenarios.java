package org.jnft.ctl;

import static org.jnft.ctl.ForwardingScenarios.FAR4;
import static org.jnft.ctl.ForwardingScenarios.FAR6;
import static org.jnft.ctl.ForwardingScenarios.H4;
import static org.jnft.ctl.ForwardingScenarios.NET;
import static org.jnft.ctl.ForwardingScenarios.fromA4;
import static org.jnft.ctl.ForwardingScenarios.fromA6;
import static org.jnft.ctl.ForwardingScenarios.fromB4;

import java.nio.file.Path;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.TcpView;

/** Scenarios for the flowtable (issue 6/7): established flows offloaded, and what hands them back. */
final class FlowtableScenarios {
    private FlowtableScenarios() {}

    /** The seed's policy: TCP and UDP offloaded once established; the forward chain counts what it sees. */
    static final String OFFLOAD = """
            table inet filter {
                flowtable ft {
                    hook ingress priority filter
                    devices = { lan, wan }
                    counter
                }
                chain forward {
                    type filter hook forward priority filter; policy drop;
                    meta l4proto { tcp, udp } flow add @ft
                    ct state established,related counter accept
                    ct status dnat accept
                    iifname "lan" counter accept
                }
            }
            """;

    /** {@link #OFFLOAD} with a home gateway's NAT: masquerade out of wan, wan:8080 forwarded to the host's 80. */
    static final String OFFLOAD_NAT = OFFLOAD + ForwardingScenarios.NAT;

    static final long[] SERVER6 = FAR6;

    static PacketBuilder fromB6(long[] src, long[] dst) {
        return PacketBuilder.ether(ForwardingScenarios.GW_B, ForwardingScenarios.R_B).ipv6(src[0], src[1], dst[0], dst[1])
                .hopLimit(50);
    }

    /**
     * A TCP connection from the LAN host through {@code serverAddr} as the host sees its peer, and
     * {@code replyTo} as the server sees the host (the wan address under masquerade): handshake, then
     * {@code rounds} data segments each way, then the closing exchange.
     */
    static void tcpConnection(Scenario s, int sport, int dport, int replyTo, int rounds, boolean close) {
        int ack = TcpView.ACK;
        int psh = TcpView.PSH;
        s.in("lan", fromA4(FAR4).df(true).tcp(sport, dport, TcpView.SYN, 1000, 0).window(64240).mss(1460).build());
        s.in("wan", fromB4(FAR4, replyTo).tcp(dport, sport, TcpView.SYN | ack, 5000, 1001).window(65160).mss(1360)
                .build());
        s.in("lan", fromA4(FAR4).df(true).tcp(sport, dport, ack, 1001, 5001).window(502).build());
        int a = 1001;
        int b = 5001;
        for (int i = 0; i < rounds; i++) {
            s.in("lan", fromA4(FAR4).df(true).tcp(sport, dport, ack | psh, a, b).window(502).payloadLength(100).build());
            a += 100;
            s.in("wan", fromB4(FAR4, replyTo).tcp(dport, sport, ack | psh, b, a).window(501).payloadLength(200).build());
            b += 200;
        }
        if (close) {
            s.in("lan", fromA4(FAR4).df(true).tcp(sport, dport, TcpView.FIN | ack, a, b).window(501).build());
            s.in("wan", fromB4(FAR4, replyTo).tcp(dport, sport, TcpView.FIN | ack, b, a + 1).window(501).build());
            s.in("lan", fromA4(FAR4).df(true).tcp(sport, dport, ack, a + 1, b + 1).window(501).build());
        }
    }

    /** As {@link #tcpConnection}, over IPv6 between the LAN host and the far server. */
    static void tcpConnection6(Scenario s, int sport, int dport, int rounds, boolean close) {
        int ack = TcpView.ACK;
        int psh = TcpView.PSH;
        long[] h6 = ForwardingScenarios.H6;
        s.in("lan", fromA6(FAR6).tcp(sport, dport, TcpView.SYN, 1000, 0).window(64240).mss(1440).build());
        s.in("wan", fromB6(FAR6, h6).tcp(dport, sport, TcpView.SYN | ack, 5000, 1001).window(65160).mss(1340).build());
        s.in("lan", fromA6(FAR6).tcp(sport, dport, ack, 1001, 5001).window(502).build());
        int a = 1001;
        int b = 5001;
        for (int i = 0; i < rounds; i++) {
            s.in("lan", fromA6(FAR6).tcp(sport, dport, ack | psh, a, b).window(502).payloadLength(100).build());
            a += 100;
            s.in("wan", fromB6(FAR6, h6).tcp(dport, sport, ack | psh, b, a).window(501).payloadLength(200).build());
            b += 200;
        }
        if (close) {
            s.in("lan", fromA6(FAR6).tcp(sport, dport, TcpView.FIN | ack, a, b).window(501).build());
            s.in("wan", fromB6(FAR6, h6).tcp(dport, sport, TcpView.FIN | ack, b, a + 1).window(501).build());
            s.in("lan", fromA6(FAR6).tcp(sport, dport, ack, a + 1, b + 1).window(501).build());
        }
    }

    /** A UDP exchange: {@code rounds} datagrams each way. */
    static void udpFlow(Scenario s, int sport, int dport, int replyTo, int rounds) {
        for (int i = 0; i < rounds; i++) {
            s.in("lan", fromA4(FAR4).udp(sport, dport).payloadLength(40 + i).build());
            s.in("wan", fromB4(FAR4, replyTo).df(false).udp(dport, sport).payloadLength(80 + i).build());
        }
    }

    /** A UDP exchange over IPv6. */
    static void udpFlow6(Scenario s, int sport, int dport, int rounds) {
        for (int i = 0; i < rounds; i++) {
            s.in("lan", fromA6(FAR6).udp(sport, dport).payloadLength(40 + i).build());
            s.in("wan", fromB6(FAR6, ForwardingScenarios.H6).udp(dport, sport).payloadLength(80 + i).build());
        }
    }

    /**
     * Everything the kernel can show of offloaded flows on the wire (it forwards them on its classic path,
     * so the frames must be the same): a masqueraded TCP connection, a masqueraded UDP flow, a DNAT port
     * forward from outside, IPv6 TCP and UDP, and a packet too big for wan's MTU on the offloaded TCP flow,
     * answered by the classic path with "fragmentation needed".
     */
    static Scenario withNat(Path dir) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = OFFLOAD_NAT;
        int wan = ForwardingScenarios.R4B;
        tcpConnection(s, 41000, 443, wan, 12, false);
        // 1450 bytes with DF set on the offloaded flow: wan's MTU is 1400
        s.in("lan", fromA4(FAR4).df(true).tcp(41000, 443, TcpView.ACK | TcpView.PSH, 2201, 7401).window(502)
                .payloadLength(1410).build());
        udpFlow(s, 40300, 53, wan, 8);
        // port forward: wan:8080 -> 10.0.1.2:80
        int ack = TcpView.ACK;
        s.in("wan", fromB4(FAR4, wan).tcp(45000, 8080, TcpView.SYN, 700, 0).window(1000).build());
        s.in("lan", PacketBuilder.ether(ForwardingScenarios.HOST_A, ForwardingScenarios.R_A).ipv4(H4, FAR4).ttl(64)
                .df(true).tcp(80, 45000, TcpView.SYN | ack, 9000, 701).window(1000).build());
        s.in("wan", fromB4(FAR4, wan).tcp(45000, 8080, ack, 701, 9001).window(1000).build());
        for (int i = 0; i < 8; i++) {
            s.in("wan", fromB4(FAR4, wan).tcp(45000, 8080, ack | TcpView.PSH, 701 + 50 * i, 9001 + 300 * i)
                    .window(1000).payloadLength(50).build());
            s.in("lan", PacketBuilder.ether(ForwardingScenarios.HOST_A, ForwardingScenarios.R_A).ipv4(H4, FAR4)
                    .ttl(64).df(true).tcp(80, 45000, ack | TcpView.PSH, 9001 + 300 * i, 751 + 50 * i).window(1000)
                    .payloadLength(300).build());
        }
        tcpConnection6(s, 42000, 443, 10, true);
        udpFlow6(s, 40400, 53, 6);
        return s;
    }

    /** One TCP connection with many data segments each way, closed at the end. */
    static Scenario bulkTcp(Path dir, int rounds) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = OFFLOAD;
        tcpConnection(s, 41000, 443, H4, rounds, true);
        return s;
    }
}
