package org.jnft.nft;

/**
 * snat/dnat/masquerade/redirect: address and port ranges, maps, flags, and their checks in nft's order
 * (family, then address, then the transport protocol of a port mapping).
 */
final class NatEvaluator {
    private final RuleEvaluator ev;

    NatEvaluator(RuleEvaluator ev) {
        this.ev = ev;
    }

    void nat(Stmt.Nat n) {
        int flags = 0;
        for (String f : n.flags()) {
            flags |= switch (f) { case "random" -> 0x4; case "persistent" -> 0x8; default -> 0x10; };
        }
        Loc kw = new Loc(n.loc().src(), n.loc().start(), n.loc().start() + n.kind().length());
        boolean masqOrRedir = n.kind().equals("masquerade") || n.kind().equals("redirect");
        String fam = masqOrRedir ? null : family(n, kw);
        DataType at = "ip6".equals(fam) ? DataType.IPV6 : DataType.IPV4;
        Ir.Val amin = null, amax = null;
        Ir.MapLookup concat = !masqOrRedir && n.addr() instanceof Node.MapE m ? ev.natConcatMap(m, at) : null;
        if (concat != null) {
            // address . port from one lookup: nft sends addr_min and proto_min registers, no flags for it
            if (ev.ctx.th == null || ev.ctx.th == Proto.TH) {
                throw new EvalError(n.addr().loc(), kw, "transport protocol mapping is only valid after transport protocol match");
            }
            ev.out.add(new Ir.Nat(n.kind(), "ip6".equals(fam) ? 10 : 2, concat, null, null, null, flags));
            return;
        }
        if (n.addr() instanceof Node.Range r) {
            amin = ev.value(r.lo(), at);
            amax = ev.value(r.hi(), at);
        } else if (n.addr() instanceof Node.Prefix p) {
            byte[][] b = ExprEvaluator.bounds(p, at);
            amin = new Ir.Const(b[0], at);
            amax = new Ir.Const(b[1], at);
        } else if (n.addr() != null) {
            amin = ev.value(n.addr(), at);
        }
        Ir.Val pmin = null, pmax = null;
        if (n.port() != null) {
            if (ev.ctx.th == null || ev.ctx.th == Proto.TH) {
                throw new EvalError(n.port().loc(), kw, "transport protocol mapping is only valid after transport protocol match");
            }
            if (n.kind().equals("redirect") && ev.table.family.equals("inet") && ev.ctx.thImplicit) {
                // nft re-adds the transport dependency for redirect in inet tables.
                Ir.Cmp dep = new Ir.Cmp(new Ir.Meta(org.jnft.vm.MetaKey.L4PROTO, DataType.INET_PROTO),
                        org.jnft.vm.CmpOp.EQ, new byte[] {(byte) ev.ctx.th.number()}, 0);
                ev.ctx.deps.add(dep);
                ev.out.add(dep);
            }
            flags |= 0x2;
            if (n.port() instanceof Node.Range r) {
                pmin = ev.value(r.lo(), DataType.INET_SERVICE);
                pmax = ev.value(r.hi(), DataType.INET_SERVICE);
            } else {
                pmin = ev.value(n.port(), DataType.INET_SERVICE);
            }
        }
        if (masqOrRedir) {
            ev.out.add(new Ir.Nat(n.kind().equals("masquerade") ? "masq" : "redir", 0, null, null, pmin, pmax, flags));
            return;
        }
        ev.out.add(new Ir.Nat(n.kind(), "ip6".equals(fam) ? 10 : 2, amin, amax, pmin, pmax, flags));
    }

    /** The address family: written, the table's, or the rule's network protocol, with nft's errors. */
    private String family(Stmt.Nat n, Loc kw) {
        String table = ev.table.family;
        Proto known = table.equals("ip") ? Proto.IP : table.equals("ip6") ? Proto.IP6 : ev.ctx.nh;
        if (n.family() != null) {
            Proto wanted = n.family().equals("ip6") ? Proto.IP6 : Proto.IP;
            if (known != null && known != wanted) {
                throw new EvalError(kw, "conflicting protocols specified: " + known.name() + " vs. " + wanted.name()
                        + ". You must specify ip or ip6 family in nat statement");
            }
            return n.family();
        }
        if (known == null) {
            if (n.addr() != null && table.equals("inet")) {
                throw new EvalError(kw, "ip or ip6 must be specified with address for inet tables.");
            }
            return null;
        }
        return known == Proto.IP6 ? "ip6" : "ip";
    }
}
