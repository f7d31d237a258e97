package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jnft.vm.CmpOp;
import org.jnft.vm.CtKey;
import org.jnft.vm.MetaKey;

/** One rule as {@code nft list ruleset} prints it, from the evaluated statements. */
final class RuleListing {
    private RuleListing() {}

    private static final java.util.Set<MetaKey> UNQUALIFIED = java.util.EnumSet.of(MetaKey.IIF, MetaKey.OIF,
            MetaKey.IIFNAME, MetaKey.OIFNAME, MetaKey.IIFGROUP, MetaKey.OIFGROUP);

    static String rule(Model.Table table, Model.Rule r) {
        List<Ir> stmts = withoutDependencies(table, r);
        // The anonymous sets of dependencies are not listed.
        List<String> parts = new ArrayList<>();
        for (Ir s : stmts) {
            parts.add(switch (s) {
                case Ir.Reject rj -> reject(rj, table.family);
                case Ir.Nat n -> NatListing.nat(n, table.family);
                default -> stmt(s);
            });
        }
        String text = String.join(" ", parts);
        if (r.comment() != null) text += " comment \"" + r.comment() + "\"";
        return text;
    }

    /** Drops added dependencies, and written matches that merely state the next payload's dependency. */
    static List<Ir> withoutDependencies(Model.Table table, Model.Rule r) {
        List<Ir> out = new ArrayList<>();
        Ir.Cmp candidate = null;
        for (Ir s : r.stmts()) {
            if (r.deps().contains(s)) continue;
            Proto needs = payloadProto(s);
            if (needs == null && s instanceof Ir.Cmp c && c.op() == CmpOp.EQ && c.left() instanceof Ir.Meta m
                    && m.key() == MetaKey.L4PROTO) {
                // meta l4proto icmp/icmpv6 implies the network protocol: it kills a meta nfproto before it.
                Proto p = Proto.byNumber(c.value()[0] & 0xff);
                needs = p == Proto.ICMP ? Proto.IP : p == Proto.ICMPV6 ? Proto.IP6 : null;
            }
            if (candidate != null && (needs != null && isDependency(table.family, candidate, needs)
                    || killsNetworkMatch(candidate, s))) {
                out.remove(candidate);
                candidate = null;
            }
            if (s instanceof Ir.Cmp c && c.op() == CmpOp.EQ && c.left() instanceof Ir.Meta m
                    && (m.key() == MetaKey.L4PROTO || m.key() == MetaKey.NFPROTO || m.key() == MetaKey.PROTOCOL)) {
                candidate = c;
            }
            if (s instanceof Ir.Cmp c && c.op() == CmpOp.EQ && c.left() instanceof Ir.Ct ct
                    && (ct.key() == org.jnft.vm.CtKey.L3PROTOCOL
                    || ct.key() == org.jnft.vm.CtKey.PROTOCOL && !table.family.equals("inet"))) {
                candidate = c;
            }
            if (s instanceof Ir.Cmp c && c.op() == CmpOp.EQ && c.left() instanceof Ir.Payload p && p.proto() == Proto.ETHER
                    && p.field().name().equals("type") && Constants.value(c.value(), DataType.ETHER_TYPE) == 0x8100) {
                candidate = c;
            }
            out.add(s);
        }
        return out;
    }

    /**
     * What nft's listing does with a network protocol match followed by a transport one: {@code ct l3proto}
     * goes before a payload match, {@code meta l4proto} or {@code ct protocol}; {@code meta nfproto} before
     * {@code ct protocol}.
     */
    private static boolean killsNetworkMatch(Ir.Cmp candidate, Ir s) {
        Ir.Val left = switch (s) {
            case Ir.Cmp c -> c.left();
            case Ir.Lookup l -> l.left();
            default -> null;
        };
        boolean ctProtocol = left instanceof Ir.Ct ct && ct.key() == org.jnft.vm.CtKey.PROTOCOL;
        if (candidate.left() instanceof Ir.Ct ct && ct.key() == org.jnft.vm.CtKey.PROTOCOL) {
            // ct protocol named the transport header (ip/ip6 tables): a match on that header makes it redundant
            Proto p = payloadProto(s);
            return p != null && p.base() == org.jnft.vm.PayloadBase.TH && p.number() == (candidate.value()[0] & 0xff);
        }
        if (candidate.left() instanceof Ir.Ct) {
            Proto p = payloadProto(s);
            return ctProtocol || p != null && p.base() != org.jnft.vm.PayloadBase.LL
                    || left instanceof Ir.Meta m && m.key() == MetaKey.L4PROTO;
        }
        return ctProtocol && candidate.left() instanceof Ir.Meta m && m.key() == MetaKey.NFPROTO;
    }

    private static Proto payloadProto(Ir s) {
        Ir.Val v = switch (s) {
            case Ir.Cmp c -> c.left();
            case Ir.Range c -> c.left();
            case Ir.Prefix c -> c.left();
            case Ir.MaskCmp c -> c.left();
            case Ir.Lookup c -> c.left();
            default -> null;
        };
        while (v instanceof Ir.Masked m) v = m.val();
        if (v instanceof Ir.Concat c && !c.parts().isEmpty()) v = c.parts().get(0);
        return v instanceof Ir.Payload p ? p.proto() : null;
    }

    private static boolean isDependency(String family, Ir.Cmp c, Proto p) {
        if (c.left() instanceof Ir.Payload) return p == Proto.VLAN; // ether type vlan before vlan fields
        if (!(c.left() instanceof Ir.Meta)) return false; // ct l3proto: killsNetworkMatch decides
        MetaKey k = ((Ir.Meta) c.left()).key();
        int v = c.value()[c.value().length - 1] & 0xff;
        if (k == MetaKey.L4PROTO) return p.base() == org.jnft.vm.PayloadBase.TH && p.number() == v;
        if (k == MetaKey.NFPROTO && family.equals("inet")) {
            return (p == Proto.IP && v == 2) || (p == Proto.IP6 && v == 10);
        }
        if (k == MetaKey.PROTOCOL && family.equals("netdev")) {
            long e = Constants.value(c.value(), DataType.ETHER_TYPE);
            return (p == Proto.IP && e == 0x0800) || (p == Proto.IP6 && e == 0x86dd);
        }
        return false;
    }

    static String op(CmpOp op, DataType t) {
        return switch (op) {
            case EQ -> t.kind == DataType.Kind.BITMASK ? " == " : " ";
            case NEQ -> " != ";
            case LT -> " < ";
            case GT -> " > ";
            case LTE -> " <= ";
            case GTE -> " >= ";
        };
    }

    static String stmt(Ir s) {
        return switch (s) {
            case Ir.Cmp c when c.left() instanceof Ir.Masked m && isZero(m.xor())
                    && (c.op() == CmpOp.EQ || c.op() == CmpOp.NEQ) && m.type().kind == DataType.Kind.BITMASK ->
                lhs(m.val()) + (c.op() == CmpOp.NEQ ? " != " : " ") + ValueText.of(c.value(), m.type()) + " / "
                        + ValueText.of(m.mask(), m.type());
            case Ir.Cmp c when (c.left() instanceof Ir.Fib || c.left() instanceof Ir.Exthdr x && x.present())
                    && c.value().length == 1 && c.left().type() != DataType.FIB_ADDRTYPE ->
                lhs(c.left()) + (c.op() == CmpOp.NEQ ? " != " : " ") + (c.value()[0] != 0 ? "exists" : "missing");
            case Ir.Cmp c when c.left() instanceof Ir.Masked && c.op() == CmpOp.EQ ->
                lhs(c.left()) + " == " + value(c.value(), c.left());
            case Ir.Cmp c -> lhs(c.left()) + op(c.op(), c.left().type()) + value(c.value(), c.left());
            case Ir.Range r -> lhs(r.left()) + (r.neq() ? " != " : " ") + ValueText.rangeBound(r.lo(), r.left().type()) + "-"
                    + ValueText.rangeBound(r.hi(), r.left().type());
            case Ir.Prefix p -> lhs(p.left()) + (p.neq() ? " != " : " ") + value(p.value(), p.left()) + "/" + p.bits();
            case Ir.MaskCmp m -> {
                DataType t = m.left().type();
                if (m.op() == CmpOp.NEQ && isZero(m.value())) yield lhs(m.left()) + " " + ValueText.of(m.mask(), t);
                if (m.op() == CmpOp.EQ && isZero(m.value())) yield lhs(m.left()) + " ! " + ValueText.of(m.mask(), t);
                yield lhs(m.left()) + (m.op() == CmpOp.NEQ ? " != " : " ") + ValueText.of(m.value(), t) + " / "
                        + ValueText.of(m.mask(), t);
            }
            case Ir.Lookup l -> lhs(l.left()) + (l.invert() ? " != " : " ") + setText(unshift(l.set(), l.left()));
            case Ir.Vmap v -> lhs(v.key()) + " vmap " + setText(unshift(v.set(), v.key()));
            case Ir.Verdict v -> v.verdict() + (v.chain() == null ? "" : " " + v.chain());
            case Ir.Counter c -> {
                long[] v = LiveState.CURRENT.isBound() ? LiveState.CURRENT.get().counter(c) : null;
                yield "counter packets " + (v == null ? c.packets() : v[0]) + " bytes " + (v == null ? c.bytes() : v[1]);
            }
            case Ir.ObjRef o -> (o.type() == 1 ? "counter" : o.type() == 2 ? "quota" : "limit") + " name \"" + o.name() + "\"";
            case Ir.ObjMap m -> (m.set().dataType == DataType.QUOTA ? "quota" : "counter") + " name " + lhs(m.key())
                    + " map " + setText(m.set());
            case Ir.Limit l -> limit(l);
            case Ir.Quota q -> {
                long used = LiveState.CURRENT.isBound() ? LiveState.CURRENT.get().quotaUsed(q) : q.used();
                yield "quota " + (q.over() ? "over " : "") + ValueText.bytes(q.bytes())
                        + (used > 0 ? " used " + ValueText.bytes(used) : "");
            }
            case Ir.Log l -> log(l);
            case Ir.Reject r -> reject(r, "inet");
            case Ir.Nat n -> NatListing.nat(n, "ip");
            case Ir.MetaSet m -> metaName(m.key()) + " set " + rhs(m.value());
            case Ir.CtSet c -> "ct " + (c.dir() < 0 ? "" : c.dir() == 0 ? "original " : "reply ") + ctName(c.key()) + " set "
                    + rhs(c.value());
            case Ir.PayloadSet p -> lhs(p.target()) + " set " + rhs(p.value());
            case Ir.TcpOptSet t -> lhs(t.target()) + " set " + rhs(t.value());
            case Ir.Flow f -> "flow add @" + f.flowtable();
            case Ir.Notrack n -> "notrack";
            case Ir.Dynset d -> (d.update() ? "update" : "add") + " @" + d.set().name + " { " + lhs(d.key())
                    + (d.timeoutMs() > 0 ? " timeout " + ValueText.time(d.timeoutMs()) : "") + " }";
            case Ir.Val v -> lhs(v);
        };
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    static String value(byte[] b, Ir.Val left) {
        if (left instanceof Ir.Concat c) {
            List<String> parts = new ArrayList<>();
            int off = 0;
            for (Ir.Val p : c.parts()) {
                parts.add(ValueText.of(java.util.Arrays.copyOfRange(b, off, off + p.len()), p.type()));
                off += (p.len() + 3) / 4 * 4;
            }
            return String.join(" . ", parts);
        }
        return ValueText.of(b, left.type());
    }

    static String rhs(Ir.Val v) {
        return switch (v) {
            case Ir.Const c -> ValueText.of(c.bytes(), c.type());
            case Ir.MapLookup m -> lhs(m.key()) + " map " + setText(m.set());
            default -> lhs(v);
        };
    }

    static String metaName(MetaKey k) {
        for (Map.Entry<String, Keys.MetaDef> e : Keys.META.entrySet()) {
            if (e.getValue().key() == k) return UNQUALIFIED.contains(k) ? e.getKey() : "meta " + e.getKey();
        }
        return "meta " + k.text;
    }

    static String ctName(CtKey k) {
        return switch (k) {
            case SRC_IP -> "ip saddr";
            case DST_IP -> "ip daddr";
            case SRC_IP6 -> "ip6 saddr";
            case DST_IP6 -> "ip6 daddr";
            default -> {
                for (Map.Entry<String, Keys.CtDef> e : Keys.CT.entrySet()) {
                    if (e.getValue().key() == k) yield e.getKey();
                }
                yield k.text;
            }
        };
    }

    static String lhs(Ir.Val v) {
        return switch (v) {
            case Ir.Payload p -> p.proto().name().startsWith("@") ? p.proto().name() + "," + p.field().name()
                    : p.proto().name() + " " + p.field().name();
            case Ir.Meta m -> metaName(m.key());
            // nft lists l3proto and protocol without a direction: they are the same either way
            case Ir.Ct c -> "ct " + (c.dir() < 0 || c.key() == org.jnft.vm.CtKey.PROTOCOL
                    || c.key() == org.jnft.vm.CtKey.L3PROTOCOL ? "" : c.dir() == 0 ? "original " : "reply ")
                    + ctName(c.key());
            case Ir.Rt r -> r.key().equals("tcpmss") ? "rt mtu" : "rt " + r.key();
            case Ir.Fib f -> "fib " + f.flagsText() + " " + f.result();
            case Ir.Exthdr x -> x.present() ? "exthdr " + x.header() : x.header() + " " + x.field();
            case Ir.TcpOpt t -> "tcp option " + TcpOptions.listedName(t.kind(), t.offset(), t.option()) + (t.present() ? ""
                    : " " + TcpOptions.find(t.option()).fields().entrySet().stream()
                            .filter(e -> e.getValue().offset() == t.offset()).findFirst().map(Map.Entry::getKey).orElse("kind"));
            case Ir.Concat c -> String.join(" . ", c.parts().stream().map(RuleListing::lhs).toList());
            case Ir.Masked m -> masked(m);
            case Ir.Shift s -> lhs(s.val()) + (s.left() ? " << " : " >> ") + s.n();
            case Ir.Const c -> ValueText.of(c.bytes(), c.type());
            case Ir.MapLookup m -> lhs(m.key()) + " map " + setText(m.set());
        };
    }

    private static String masked(Ir.Masked m) {
        DataType t = m.val().type();
        if (isZero(m.xor())) return lhs(m.val()) + " & " + ValueText.of(m.mask(), t);
        boolean allOnes = true;
        for (byte b : m.mask()) allOnes &= b == (byte) 0xff;
        if (allOnes) return lhs(m.val()) + " ^ " + ValueText.of(m.xor(), t);
        return lhs(m.val()) + " | " + ValueText.of(m.xor(), t);
    }

    /** Anonymous sets matched against sub-byte fields hold shifted values: list them in the field's terms. */
    static SetDef unshift(SetDef s, Ir.Val left) {
        if (!s.anonymous || !(left instanceof Ir.Payload p) || !Linearizer.BitField.of(p).partial()) return s;
        int shift = Linearizer.BitField.of(p).shift();
        int n = p.type().bytes();
        SetDef c = new SetDef(s.name, true, s.keyTypes, s.dataType, s.flags, s.timeoutMs, s.size, s.map);
        c.dataTypes = s.dataTypes;
        for (SetDef.Elem e : s.elems) {
            java.util.function.UnaryOperator<byte[]> back = b -> b == null ? null
                    : Linearizer.toBytes(new java.math.BigInteger(1, b).shiftRight(shift), n);
            c.elems.add(new SetDef.Elem(back.apply(e.key()), back.apply(e.keyEnd()), e.data(), e.verdict(), e.chain(),
                    e.timeoutMs(), e.comment(), e.objName()));
        }
        return c;
    }

    static String setText(SetDef s) {
        return s.anonymous ? SetListing.elements(s, true) : "@" + s.name;
    }

    private static String limit(Ir.Limit l) {
        StringBuilder sb = new StringBuilder("limit rate ");
        if (l.over()) sb.append("over ");
        String unit = Units.unitName(l.unitSeconds());
        if (l.bytes()) {
            sb.append(ValueText.bytes(l.rate()).replace(" ", " ")).append('/').append(unit);
            if (l.burst() > 0) sb.append(" burst ").append(ValueText.bytes(l.burst()));
        } else {
            sb.append(l.rate()).append('/').append(unit);
            if (l.burst() != 5) sb.append(" burst ").append(l.burst()).append(" packets");
        }
        return sb.toString();
    }

    private static final String[] LEVELS = {"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit"};

    private static String log(Ir.Log l) {
        StringBuilder sb = new StringBuilder("log");
        if (l.prefix() != null) sb.append(" prefix \"").append(l.prefix()).append('"');
        if (l.group() != null) sb.append(" group ").append(l.group());
        if (l.snaplen() != null) sb.append(" snaplen ").append(l.snaplen());
        if (l.level() >= 0 && l.level() != 4) sb.append(" level ").append(LEVELS[l.level()]);
        int f = l.flags();
        if ((f & 0x2f) == 0x2f) {
            sb.append(" flags all");
        } else if (f != 0) {
            List<String> n = new ArrayList<>();
            if ((f & 0x3) == 0x3) n.add("tcp sequence,options");
            else if ((f & 0x1) != 0) n.add("tcp sequence");
            else if ((f & 0x2) != 0) n.add("tcp options");
            if ((f & 0x4) != 0) n.add("ip options");
            if ((f & 0x8) != 0) n.add("skuid");
            if ((f & 0x20) != 0) n.add("ether");
            sb.append(" flags ").append(String.join(" ", n));
        }
        return sb.toString();
    }

    private static String reject(Ir.Reject r, String family) {
        return switch (r.type()) {
            case 1 -> "reject with tcp reset";
            case 2 -> r.code() == 1 && !family.startsWith("ip") ? "reject"
                    : "reject with icmpx " + ValueText.symbol(DataType.ICMPX_CODE.symbols, r.code());
            default -> {
                if (family.equals("ip") && r.code() == 3) yield "reject";
                if (family.equals("ip6") && r.code() == 4) yield "reject";
                boolean v6 = family.equals("ip6");
                DataType t = v6 ? DataType.ICMPV6_CODE : DataType.ICMP_CODE;
                String name = ValueText.symbol(t.symbols, r.code());
                yield "reject with " + (v6 ? "icmpv6 " : "icmp ") + (name == null ? Integer.toString(r.code()) : name);
            }
        };
    }
}
