package org.jnft.nft;

/** snat/dnat/masquerade/redirect: address and port ranges, maps, flags, and their context checks. */
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
        if (n.kind().equals("masquerade") || n.kind().equals("redirect")) {
            ev.out.add(new Ir.Nat(n.kind().equals("masquerade") ? "masq" : "redir", 0, null, null, pmin, pmax, flags));
            return;
        }
        String fam = n.family();
        if (fam == null) {
            fam = switch (ev.table.family) {
                case "ip" -> "ip";
                case "ip6" -> "ip6";
                default -> ev.ctx.nh == Proto.IP ? "ip" : ev.ctx.nh == Proto.IP6 ? "ip6" : null;
            };
            if (fam == null && n.addr() != null) {
                throw new EvalError(n.loc(), "specify `" + n.kind() + " ip' or '" + n.kind() + " ip6' in " + ev.table.family
                        + " table to disambiguate");
            }
        }
        DataType at = "ip6".equals(fam) ? DataType.IPV6 : DataType.IPV4;
        Ir.Val amin = null, amax = null;
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
        ev.out.add(new Ir.Nat(n.kind(), "ip6".equals(fam) ? 10 : 2, amin, amax, pmin, pmax, flags));
    }
}
