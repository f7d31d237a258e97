package org.jnft.nft;

import java.util.List;
import org.jnft.vm.CmpOp;
import org.jnft.vm.MetaKey;

/**
 * The protocol context of a rule (what nft calls pctx): which protocol is known at each payload base,
 * and the implicit dependencies to emit when an expression needs one that is not known yet.
 */
final class Context {
    final String family;
    Proto ll, nh, th;
    /** The transport protocol was implied by a dependency this rule added (not matched explicitly). */
    boolean thImplicit;
    /** Where the transport protocol became known (for "you cannot use ... with this protocol"). */
    Loc thLoc;
    /** The transport protocol came from a set of protocols (nft keeps the highest); whether tcp was in it. */
    boolean thFromSet, setHasTcp;
    /** The network protocol was matched explicitly (meta nfproto), not implied by the family. */
    boolean nhExplicit;
    /** An ICMP type match (written or added) is already in the rule. */
    boolean icmpTypeKnown;
    /** The statements this context added as dependencies (identity set). */
    final java.util.Set<Ir> deps = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    Context(String family) {
        this.family = family;
        if (family.equals("ip")) nh = Proto.IP;
        if (family.equals("ip6")) nh = Proto.IP6;
    }

    private Ir.Cmp metaEq(MetaKey key, DataType t, long v) {
        Ir.Cmp c = new Ir.Cmp(new Ir.Meta(key, t), CmpOp.EQ, org.jnft.vm.Data.ofInt(v, t.bytes(), !t.host), 0);
        deps.add(c);
        return c;
    }

    void requireNh(Proto p, Loc loc, List<Ir> out) {
        if (nh == p) return;
        if (nh != null) throw new EvalError(loc, "conflicting protocols specified: " + nh.name() + " vs. " + p.name());
        long ethertype = p == Proto.IP ? 0x0800 : 0x86dd;
        if ((ll == Proto.ETHER || ll == Proto.VLAN) && (family.equals("inet") || family.equals("netdev"))) {
            // With the link layer known, nft takes the network protocol from the ether (or vlan) type.
            Proto.Field type = ll.fields().get("type");
            Ir.Cmp c = new Ir.Cmp(new Ir.Payload(ll, type, type.type()), CmpOp.EQ,
                    org.jnft.vm.Data.ofInt(ethertype, 2, true), 0);
            deps.add(c);
            out.add(c);
            nh = p;
            return;
        }
        switch (family) {
            case "inet" -> out.add(metaEq(MetaKey.NFPROTO, DataType.NFPROTO, p == Proto.IP ? 2 : 10));
            case "netdev" -> out.add(metaEq(MetaKey.PROTOCOL, DataType.ETHER_TYPE, ethertype));
            default -> { }
        }
        nh = p;
    }

    void requireTh(Proto p, Loc loc, List<Ir> out) {
        if (p == Proto.TH || th == p) return;
        if (th != null) throw new EvalError(loc, "conflicting protocols specified: " + th.name() + " vs. " + p.name());
        // ICMP needs IPv4 (ICMPv6 IPv6) only where the network protocol is still open (inet, netdev).
        if (p == Proto.ICMP && nh == null) requireNh(Proto.IP, loc, out);
        if (p == Proto.ICMPV6 && nh == null) requireNh(Proto.IP6, loc, out);
        out.add(metaEq(MetaKey.L4PROTO, DataType.INET_PROTO, p.number()));
        th = p;
        thLoc = loc;
        thImplicit = true;
    }

    void requireLl(Proto p, Loc loc, List<Ir> out) {
        if (ll == p || (p == Proto.ETHER && ll == Proto.VLAN)) return;
        if (p == Proto.VLAN && ll == Proto.ETHER && (family.equals("ip") || family.equals("ip6"))) {
            // In ip/ip6 tables the ether header is followed by the table's protocol, not a vlan tag.
            throw new EvalError(loc, "conflicting protocols specified: ether vs. vlan");
        }
        if (ll == null) {
            out.add(metaEq(MetaKey.IIFTYPE, DataType.IFACE_TYPE, 1));
            ll = Proto.ETHER;
        }
        if (p == Proto.VLAN && ll != Proto.VLAN) {
            Proto.Field type = Proto.ETHER.fields().get("type");
            Ir.Cmp c = new Ir.Cmp(new Ir.Payload(Proto.ETHER, type, type.type()), CmpOp.EQ,
                    org.jnft.vm.Data.ofInt(0x8100, 2, true), 0);
            deps.add(c);
            out.add(c);
            ll = Proto.VLAN;
        }
    }

    void require(Proto p, Loc loc, List<Ir> out) {
        switch (p.base()) {
            case LL -> requireLl(p, loc, out);
            case NH -> requireNh(p, loc, out);
            case TH -> requireTh(p, loc, out);
            default -> { }
        }
    }

    /** After {@code left == value}: learn the protocol it names, as nft's payload context does. */
    void learn(Ir.Val left, byte[] value) {
        long v = 0;
        for (byte b : value) v = v << 8 | (b & 0xff);
        if (left instanceof Ir.Meta m) {
            switch (m.key()) {
                case L4PROTO -> { Proto p = Proto.byNumber(value[0] & 0xff); if (p != null) { th = p; thImplicit = false; } }
                case NFPROTO -> {
                    nh = (value[0] & 0xff) == 2 ? Proto.IP : (value[0] & 0xff) == 10 ? Proto.IP6 : nh;
                    nhExplicit = true;
                }
                case PROTOCOL -> nh = v == 0x0800 ? Proto.IP : v == 0x86dd ? Proto.IP6 : nh;
                case IIFTYPE -> { if ((value[0] & 0xff) == 1) ll = Proto.ETHER; }
                default -> { }
            }
        } else if (left instanceof Ir.Ct c && c.key() == org.jnft.vm.CtKey.PROTOCOL && nh != null) {
            // with the network protocol known, ct protocol names the transport header too
            Proto q = Proto.byNumber(value[0] & 0xff);
            if (q != null) { th = q; thImplicit = false; }
        } else if (left instanceof Ir.Ct c && c.key() == org.jnft.vm.CtKey.L3PROTOCOL) {
            // ct_expr_pctx_update: the connection's family is the packet's network protocol
            nh = (value[0] & 0xff) == 2 ? Proto.IP : (value[0] & 0xff) == 10 ? Proto.IP6 : nh;
        } else if (left instanceof Ir.Payload p) {
            String f = p.field().name();
            if ((p.proto() == Proto.IP && f.equals("protocol")) || (p.proto() == Proto.IP6 && f.equals("nexthdr"))) {
                Proto q = Proto.byNumber(v);
                if (q != null) { th = q; thImplicit = false; }
            } else if (p.proto() == Proto.ETHER && f.equals("type")) {
                if (v == 0x8100) ll = Proto.VLAN;
                else nh = v == 0x0800 ? Proto.IP : v == 0x86dd ? Proto.IP6 : nh;
            }
        }
    }
}
