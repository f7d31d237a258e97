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

    /** One TCP connection with many data segments each way, closed at the end. */
    static Scenario bulkTcp(Path dir, int rounds) {
        Scenario s = new Scenario(dir, NET);
        s.ruleset = OFFLOAD;
        tcpConnection(s, 41000, 443, H4, rounds, true);
        return s;
    }
}
