package org.jnft.conntrack;

import static org.jnft.conntrack.CtConst.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jnft.packet.IpProto;

/**
 * {@code conntrack -L} as conntrack-tools 1.4.7 (libnetfilter_conntrack's default format) prints it:
 * {@code PROTO(%-8s) NUM TIMEOUT [TCPSTATE] src= dst= PORTS [packets= bytes=] [UNREPLIED] src= dst= PORTS
 * [packets= bytes=] [OFFLOAD|ASSURED] mark=N [zone=N] use=N}. OFFLOAD entries have neither timeout nor
 * state (ctnetlink leaves them out). Timeouts are whole seconds left, rounded down. Not on the data path.
 */
public final class ConntrackListing {
    private ConntrackListing() {
    }

    /** conntrack-tools' protocol name ({@code unknown} for protocols it does not name). */
    public static String protoName(int proto) {
        return switch (proto) {
            case IpProto.TCP -> "tcp";
            case IpProto.UDP -> "udp";
            case IpProto.UDPLITE -> "udplite";
            case IpProto.ICMP -> "icmp";
            case IpProto.ICMPV6 -> "icmpv6";
            case IpProto.SCTP -> "sctp";
            case IpProto.GRE -> "gre";
            case 33 -> "dccp";
            default -> "unknown";
        };
    }

    /** The order of conntrack.txt: l3, l4, original source, original destination, ports (then zone). */
    public static final Comparator<CtEntry> ORDER = (a, b) -> {
        CtTuple x = a.orig;
        CtTuple y = b.orig;
        int c = Integer.compare(x.l3, y.l3);
        if (c == 0) {
            c = Integer.compare(x.proto, y.proto);
        }
        if (c == 0) {
            c = Long.compareUnsigned(x.srcHi, y.srcHi);
        }
        if (c == 0) {
            c = Long.compareUnsigned(x.srcLo, y.srcLo);
        }
        if (c == 0) {
            c = Long.compareUnsigned(x.dstHi, y.dstHi);
        }
        if (c == 0) {
            c = Long.compareUnsigned(x.dstLo, y.dstLo);
        }
        if (c == 0) {
            c = Integer.compare(x.srcPort, y.srcPort);
        }
        if (c == 0) {
            c = Integer.compare(x.dstPort, y.dstPort);
        }
        if (c == 0) {
            c = Integer.compare(a.zone, b.zone);
        }
        return c;
    };

    /** Every live confirmed entry at {@code now}, one line each, sorted. */
    public static List<String> lines(Conntrack t, long now) {
        List<CtEntry> es = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            CtEntry e = t.entryAt(i);
            if (e.timeout - now > 0 && (e.status & IPS_DYING) == 0) {
                es.add(e);
            }
        }
        es.sort(ORDER);
        List<String> out = new ArrayList<>(es.size());
        for (CtEntry e : es) {
            out.add(line(e, now));
        }
        return out;
    }

    /** One entry's line. */
    public static String line(CtEntry e, long now) {
        StringBuilder sb = new StringBuilder(200);
        int proto = e.orig.proto;
        String name = protoName(proto);
        sb.append(name);
        for (int i = name.length(); i < 8; i++) {
            sb.append(' ');
        }
        sb.append(' ').append(proto).append(' ');
        boolean offload = (e.status & (IPS_OFFLOAD | IPS_HW_OFFLOAD)) != 0;
        if (!offload) {
            long left = e.timeout - now;
            sb.append(left <= 0 ? 0 : left / ConntrackParams.S).append(' ');
            if (proto == IpProto.TCP) {
                sb.append(CtConst.tcpStateName(e.tcpState)).append(' ');
            }
        }
        tuple(sb, e.orig);
        if (e.acct) {
            sb.append("packets=").append(e.origPackets).append(" bytes=").append(e.origBytes).append(' ');
        }
        if ((e.status & IPS_SEEN_REPLY) == 0) {
            sb.append("[UNREPLIED] ");
        }
        tuple(sb, e.reply);
        if (e.acct) {
            sb.append("packets=").append(e.replyPackets).append(" bytes=").append(e.replyBytes).append(' ');
        }
        if ((e.status & IPS_HW_OFFLOAD) != 0) {
            sb.append("[HW_OFFLOAD] ");
        } else if ((e.status & IPS_OFFLOAD) != 0) {
            sb.append("[OFFLOAD] ");
        } else if ((e.status & IPS_ASSURED) != 0) {
            sb.append("[ASSURED] ");
        }
        sb.append("mark=").append(Integer.toUnsignedString(e.mark)).append(' ');
        if (e.zone != 0) {
            sb.append("zone=").append(e.zone).append(' ');
        }
        sb.append("use=").append(1 + e.refs);
        return sb.toString();
    }

    private static void tuple(StringBuilder sb, CtTuple t) {
        sb.append("src=").append(t.srcText()).append(" dst=").append(t.dstText()).append(' ');
        switch (t.proto) {
            case IpProto.TCP, IpProto.UDP, IpProto.UDPLITE, IpProto.SCTP, 33 ->
                sb.append("sport=").append(t.srcPort).append(" dport=").append(t.dstPort).append(' ');
            case IpProto.GRE -> sb.append("srckey=0x").append(Integer.toHexString(t.srcPort))
                    .append(" dstkey=0x").append(Integer.toHexString(t.dstPort)).append(' ');
            case IpProto.ICMP, IpProto.ICMPV6 -> sb.append("type=").append(t.dstPort >>> 8)
                    .append(" code=").append(t.dstPort & 0xff).append(" id=").append(t.srcPort).append(' ');
            default -> {
            }
        }
    }
}
