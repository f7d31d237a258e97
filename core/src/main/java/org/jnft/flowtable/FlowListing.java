package org.jnft.flowtable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import org.jnft.packet.Addresses;

/**
 * flowtables.txt (DESIGN.md's contract): per flowtable a header
 * {@code flowtable FAMILY TABLE NAME hits=N misses=N flows=N}, then one line per flow, sorted as conntrack.txt
 * (l3 protocol, l4 protocol, original source, original destination, ports):
 * {@code PROTO src=A dst=A sport=P dport=P iif=IFACE src=A dst=A sport=P dport=P iif=IFACE expires=S [snat] [dnat] [closing]}
 * — the ORIGINAL tuple, then the REPLY tuple after NAT; expires in whole seconds, rounded down.
 */
public final class FlowListing {
    private FlowListing() {
    }

    private record Row(int l3, int proto, long[] key, String line) {}

    private static final Comparator<Row> ORDER = (a, b) -> {
        int c = Integer.compare(a.l3, b.l3);
        if (c == 0) {
            c = Integer.compare(a.proto, b.proto);
        }
        for (int i = 0; c == 0 && i < a.key.length; i++) {
            c = Long.compareUnsigned(a.key[i], b.key[i]);
        }
        return c;
    };

    /** Appends one flowtable's block; {@code names} turns an ifindex into the interface's name. */
    public static void append(StringBuilder sb, Flowtable ft, long now, IntFunction<String> names) {
        sb.append("flowtable ").append(ft.family).append(' ').append(ft.table).append(' ').append(ft.name)
                .append(" hits=").append(ft.hits).append(" misses=").append(ft.misses)
                .append(" flows=").append(ft.flowCount()).append('\n');
        List<Row> rows = new ArrayList<>();
        rows(rows, ft.v4, now, names);
        rows(rows, ft.v6, now, names);
        rows.sort(ORDER);
        for (Row r : rows) {
            sb.append(r.line).append('\n');
        }
    }

    private static void rows(List<Row> rows, FlowStore s, long now, IntFunction<String> names) {
        boolean v6 = s.ipv6();
        for (int id = 0; id < s.limit(); id++) {
            if (s.ct(id) == null) {
                continue;
            }
            StringBuilder sb = new StringBuilder(200);
            int proto = s.proto(id);
            sb.append(org.jnft.conntrack.ConntrackListing.protoName(proto));
            for (int d = 0; d < 2; d++) {
                int ports = s.ports(id, d);
                sb.append(" src=").append(addr(s, id, d, true)).append(" dst=").append(addr(s, id, d, false));
                if (proto == 6 || proto == 17) {
                    sb.append(" sport=").append(ports >>> 16).append(" dport=").append(ports & 0xffff);
                }
                sb.append(" iif=").append(names.apply(s.iif(id, d)));
            }
            long left = s.deadline(id) - now;
            sb.append(" expires=").append(left <= 0 ? 0 : left / FlowTimeouts.S);
            int f = s.flags(id);
            if ((f & FlowStore.F_SNAT) != 0) {
                sb.append(" [snat]");
            }
            if ((f & FlowStore.F_DNAT) != 0) {
                sb.append(" [dnat]");
            }
            if ((f & FlowStore.F_CLOSING) != 0) {
                sb.append(" [closing]");
            }
            long[] key = v6
                    ? new long[] {s.addr6(id, 0, 0), s.addr6(id, 0, 1), s.addr6(id, 0, 2), s.addr6(id, 0, 3),
                            s.ports(id, 0) & 0xffffffffL}
                    : new long[] {s.src4(id, 0) & 0xffffffffL, s.dst4(id, 0) & 0xffffffffL,
                            s.ports(id, 0) & 0xffffffffL};
            rows.add(new Row(v6 ? 10 : 2, proto, key, sb.toString()));
        }
    }

    private static String addr(FlowStore s, int id, int d, boolean src) {
        if (s.ipv6()) {
            int w = src ? 0 : 2;
            return Addresses.formatIpv6(s.addr6(id, d, w), s.addr6(id, d, w + 1));
        }
        return Addresses.formatIpv4(src ? s.src4(id, d) : s.dst4(id, d));
    }
}
