package org.jnft.nft;

import java.util.List;
import org.jnft.vm.Expr;
import org.jnft.vm.NftSet;

/** What {@code nft --debug=netlink} prints for a batch: object lines and rule blocks, in batch order. */
public final class NetlinkDebug {
    private NetlinkDebug() {}

    private static final List<String> HOOK_NAMES = List.of("prerouting", "input", "forward", "output", "postrouting");

    public static String print(Model model) {
        return print(model, 0);
    }

    /** The lines of the batch items from index {@code from} on. */
    public static String print(Model model, int from) {
        StringBuilder sb = new StringBuilder();
        java.util.Map<Model.Table, Linearizer> lins = new java.util.IdentityHashMap<>();
        for (Model.BatchItem item : model.batch.subList(from, model.batch.size())) {
            Linearizer lin = lins.computeIfAbsent(item.table(), t -> new Linearizer(t.name));
            switch (item) {
                case Model.AddChain c -> sb.append(chainLine(c.table(), c.chain())).append('\n');
                case Model.AddObj o -> sb.append(objLine(o.obj())).append('\n');
                case Model.AddSet s -> {
                    NftSet vs = lin.set(s.set());
                    sb.append(vs.debugLine()).append('\n');
                    // An interval set goes out with every element the batch gives it (nft merges them).
                    boolean single = s.set().interval && !s.set().isConcat();
                    if (single && !vs.elements.isEmpty()) {
                        vs.elementLines(vs.elements).forEach(l -> sb.append(l).append('\n'));
                    } else if (s.withElements()) {
                        SetDef d = s.set();
                        NftSet declared = SetLinearizer.build(partial(d, d.elems.subList(0, Math.min(d.declaredCount,
                                d.elems.size()))), s.table().name);
                        vs.elementLines(declared.elements).forEach(l -> sb.append(l).append('\n'));
                    }
                }
                case Model.AddElements e -> {
                    SetDef d = e.set();
                    boolean single = d.interval && !d.isConcat();
                    List<SetDef.Elem> elems = e.elems();
                    if (single) {
                        // nft sends the declared elements again with the new ones, without the leading end.
                        elems = new java.util.ArrayList<>(d.elems.subList(0, Math.min(d.declaredCount, d.elems.size())));
                        elems.addAll(e.elems());
                        ExprEvaluator.sortIntervals(elems, d);
                    }
                    NftSet vs = SetLinearizer.build(partial(d, elems), e.table().name);
                    List<NftSet.Element> out = vs.elements;
                    if (single && !out.isEmpty() && out.get(0).flags() == NftSet.ELEM_INTERVAL_END) out = out.subList(1, out.size());
                    lin.set(d).elementLines(out).forEach(l -> sb.append(l).append('\n'));
                }
                case Model.AddFlowtable f -> sb.append(flowtableLine(f.ft())).append('\n');
                case Model.AddRule r -> rule(sb, lin, r);
            }
        }
        return sb.toString();
    }

    private static SetDef partial(SetDef s, List<SetDef.Elem> elems) {
        SetDef p = s.emptyCopy();
        p.elems.addAll(elems);
        return p;
    }

    private static void rule(StringBuilder sb, Linearizer lin, Model.AddRule r) {
        for (SetDef s : r.rule().anonSets()) {
            NftSet vs = lin.set(s);
            sb.append(vs.debugLine()).append('\n');
            vs.elementLines(vs.elements).forEach(l -> sb.append(l).append('\n'));
        }
        sb.append(r.table().family).append(' ').append(r.table().name).append(' ').append(r.chain().name).append('\n');
        for (Expr e : lin.rule(r.rule())) sb.append("  [ ").append(e).append(" ]\n");
        if (r.rule().comment() != null) {
            sb.append("  userdata = { ").append(userdata(r.rule().comment())).append(" }\n");
        } else {
            sb.append('\n');
        }
    }

    /** The rule comment TLV (type 0, length, NUL-terminated text) as libnftnl prints it. */
    static String userdata(String comment) {
        byte[] text = comment.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tlv = new byte[text.length + 3];
        tlv[0] = 0;
        tlv[1] = (byte) (text.length + 1);
        System.arraycopy(text, 0, tlv, 2, text.length);
        StringBuilder sb = new StringBuilder();
        for (byte b : tlv) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f) sb.append((char) c); else sb.append(String.format("\\x%02x", c));
        }
        return sb.toString();
    }

    static String chainLine(Model.Table t, Model.Chain c) {
        if (!c.base) return t.family + " (null) (null) use 0";
        String hook = t.family.equals("netdev") ? "ingress" : HOOK_NAMES.contains(c.hook) ? c.hook : c.hook;
        StringBuilder sb = new StringBuilder(t.family + " (null) (null) use 0 type " + c.type + " hook " + hook
                + " prio " + c.priority + " packets 0 bytes 0");
        if (c.devices.size() == 1) sb.append(" dev ").append(c.devices.get(0)).append(' ');
        else if (c.devices.size() > 1) {
            sb.append(" dev { ");
            for (String d : c.devices.reversed()) sb.append(' ').append(d).append(' ');
            sb.append(" } ");
        }
        return sb.toString();
    }

    static String objLine(Model.Obj o) {
        String body = switch (o.spec()) {
            case Stmt.Counter c -> "counter pkts " + c.packets() + " bytes " + c.bytes();
            case Stmt.Quota q -> "quota bytes " + q.bytes() + " flags " + (q.over() ? 1 : 0);
            case Stmt.Limit l -> {
                long rate = l.rateUnit() == null ? l.rate() : l.rate() * Units.bytes(l.rateUnit());
                long burst = l.rateUnit() != null && l.burstGiven()
                        ? l.burst() * (l.burstUnit() == null ? 1 : Units.bytes(l.burstUnit())) : l.burst();
                yield "limit rate " + rate + " unit " + Units.seconds(l.timeUnit()) + " burst " + burst + " type "
                        + (l.rateUnit() == null ? 0 : 1) + " flags " + (l.over() ? 1 : 0);
            }
            default -> "";
        };
        return "table (null) name (null) use 0 [ " + body + " ]";
    }

    static String flowtableLine(Model.Flowtable f) {
        int flags = (f.flags().contains("offload") ? 1 : 0) | (f.counter() ? 2 : 0);
        StringBuilder sb = new StringBuilder("flow table (null) (null) use 0 size 0 flags " + Integer.toHexString(flags)
                + " hook prerouting prio " + f.priority() + " ");
        if (f.devices().isEmpty()) return sb.toString();
        sb.append(" dev { ");
        for (String d : f.devices().reversed()) sb.append(' ').append(d).append(' ');
        sb.append(" } ");
        return sb.toString();
    }
}
