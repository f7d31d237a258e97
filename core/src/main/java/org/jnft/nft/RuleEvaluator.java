package org.jnft.nft;

import java.util.List;
import org.jnft.vm.CmpOp;
import org.jnft.vm.CtKey;

/** Evaluates one rule's statements into {@link Ir}, adding implicit dependencies as nft does. */
final class RuleEvaluator extends ExprEvaluator {
    /** The chain the rule goes into (null when unknown): {@code flow add} is for forward chains only. */
    Model.Chain chain;

    RuleEvaluator(Model.Table table) {
        super(table);
    }

    void statement(Stmt s) {
        switch (s) {
            case Stmt.Match m -> relation(m.rel());
            case Stmt.Verdict v -> out.add(new Ir.Verdict(v.verdict(), v.chain()));
            case Stmt.Counter c -> out.add(new Ir.Counter(c.packets(), c.bytes()));
            case Stmt.ObjRef o -> objref(o);
            case Stmt.Limit l -> limit(l);
            case Stmt.Quota q -> out.add(new Ir.Quota(q.bytes(), q.used(), q.over()));
            case Stmt.Log l -> log(l);
            case Stmt.Reject r -> reject(r);
            case Stmt.Nat n -> new NatEvaluator(this).nat(n);
            case Stmt.Set st -> set(st);
            case Stmt.Flow f -> flow(f);
            case Stmt.Notrack n -> out.add(new Ir.Notrack());
            case Stmt.Dynset d -> dynset(d);
            case Stmt.Vmap v -> vmap(v.map());
        }
    }

    private void relation(Node.Rel rel) {
        Ir.Val left = lhs(rel.left());
        Node right = rel.right();
        String op = rel.op();
        List<DataType> types = types(left);
        DataType t = types.get(0);
        boolean neq = op.equals("!=");
        if (right instanceof Node.SetLit lit && lit.elems().size() == 1 && !(lit.elems().get(0) instanceof Node.Mapping)
                && types.size() == 1
                && !(lit.elems().get(0) instanceof Node.Elem)) {
            // nft turns a one-element anonymous set into a plain comparison.
            right = lit.elems().get(0);
            if (op.equals("implicit")) op = "==";
        }
        switch (right) {
            case Node.SetLit lit -> {
                SetDef s = anonSet(lit, types, null, false);
                shiftForBitField(s, left);
                out.add(new Ir.Lookup(left, s, neq));
                boolean protoKey = left instanceof Ir.Meta m && m.key() == org.jnft.vm.MetaKey.L4PROTO
                        || left instanceof Ir.Payload p && (p.field().name().equals("protocol") && p.proto() == Proto.IP
                        || p.field().name().equals("nexthdr") && p.proto() == Proto.IP6);
                if (protoKey && !neq) protocolSet(s, rel.loc());
            }
            case Node.SetRef ref -> {
                SetDef s = namedSet(ref);
                checkSetType(left, rel.left(), s, ref);
                out.add(new Ir.Lookup(left, s, neq));
            }
            case Node.Range r -> {
                byte[][] b = bounds(r, t);
                out.add(new Ir.Range(left, neq, b[0], b[1], t.host ? t.bytes() : 0));
            }
            case Node.Prefix p -> {
                byte[] v = constant(p.expr(), t);
                if (p.len() > t.bits) {
                    throw new EvalError(p.loc(), "Prefix length " + p.len() + " is invalid for type of " + t.bits + " bits width");
                }
                out.add(new Ir.Prefix(left, neq, v, p.len()));
            }
            case Node.Binop b when b.op().equals("/") -> {
                byte[] value = constant(b.left(), t), mask = constant(b.right(), t);
                out.add(new Ir.MaskCmp(left, mask, neq ? CmpOp.NEQ : CmpOp.EQ, value));
            }
            case Node.Sym s when (left instanceof Ir.Fib || left instanceof Ir.Exthdr)
                    && (s.text().equals("exists") || s.text().equals("missing")) ->
                out.add(new Ir.Cmp(left, neq ? CmpOp.NEQ : CmpOp.EQ, new byte[] {(byte) (s.text().equals("exists") ? 1 : 0)}, 0));
            default -> {
                Ir.Val lv = left;
                byte[] value = types.size() > 1 ? concatConstant(right, types) : constant(right, t);
                if (t.kind == DataType.Kind.STRING && right instanceof Node.Sym s && s.text().endsWith("*")
                        && !s.text().endsWith("\\*")) {
                    int n = s.text().length() - 1;
                    out.add(new Ir.Cmp(lv, neq ? CmpOp.NEQ : CmpOp.EQ, java.util.Arrays.copyOf(value, n), 0));
                    return;
                }
                if (lv instanceof Ir.Masked mk && isZeroBytes(mk.xor()) && t.kind == DataType.Kind.BITMASK
                        && op.equals("implicit")) {
                    // "tcp flags & (fin|syn) syn": the mask applies, then an exact compare.
                    out.add(new Ir.MaskCmp(mk.val(), mk.mask(), CmpOp.EQ, value));
                    return;
                }
                if (op.equals("!") && lv instanceof Ir.Masked) {
                    throw new EvalError(rel.left().loc(), right.loc(), "cannot combine negation with binary expression");
                }
                if (op.equals("!") && t.kind == DataType.Kind.BITMASK) {
                    out.add(new Ir.MaskCmp(lv, value, CmpOp.EQ, new byte[value.length]));
                    return;
                }
                if (op.equals("implicit") && t.kind == DataType.Kind.BITMASK && types.size() == 1) {
                    out.add(new Ir.MaskCmp(lv, value, CmpOp.NEQ, new byte[value.length]));
                    return;
                }
                CmpOp cop = op(op);
                if (lv instanceof Ir.Masked mk && Linearizer.allOnes(mk.mask()) && (cop == CmpOp.EQ || cop == CmpOp.NEQ)) {
                    // nft folds "x ^ c == v" into "x == v ^ c".
                    for (int i = 0; i < value.length && i < mk.xor().length; i++) value[i] ^= mk.xor()[i];
                    lv = mk.val();
                }
                if (cop == CmpOp.EQ && lv instanceof Ir.Meta m && m.key() == org.jnft.vm.MetaKey.PROTOCOL
                        && ctx.family.startsWith("ip") && types.size() == 1) {
                    long v = Constants.value(value, t);
                    if ((ctx.family.equals("ip") && v == 0x0800) || (ctx.family.equals("ip6") && v == 0x86dd)) return;
                }
                boolean ordered = cop != CmpOp.EQ && cop != CmpOp.NEQ;
                out.add(new Ir.Cmp(lv, cop, value, ordered && t.host ? t.bytes() : 0));
                if (cop == CmpOp.EQ) {
                    Proto before = ctx.th;
                    ctx.learn(lv, value);
                    if (ctx.th != before) ctx.thLoc = rel.loc();
                }
            }
        }
    }

    /**
     * A set of transport protocols: with none known yet, nft's context takes the highest one (so a later
     * payload of another protocol conflicts); with one known, the protocol becomes ambiguous.
     */
    private void protocolSet(SetDef s, Loc loc) {
        if (ctx.th == null) {
            int max = -1;
            for (SetDef.Elem e : s.elems) max = Math.max(max, e.key()[0] & 0xff);
            Proto p = Proto.byNumber(max);
            if (p == null) return;
            ctx.th = p;
            ctx.thFromSet = true;
            ctx.setHasTcp = s.elems.stream().anyMatch(e -> (e.key()[0] & 0xff) == 6);
            ctx.thImplicit = false;
        } else {
            ctx.th = null;
        }
        ctx.thLoc = loc;
    }

    /** Elements of a set matched against a sub-byte field are shifted into the field's place. */
    static void shiftForBitField(SetDef s, Ir.Val left) {
        if (!(left instanceof Ir.Payload p) || !Linearizer.BitField.of(p).partial()) return;
        Linearizer.BitField bf = Linearizer.BitField.of(p);
        s.elems.replaceAll(e -> new SetDef.Elem(bf.place(e.key()), e.keyEnd() == null ? null : bf.place(e.keyEnd()),
                e.data(), e.verdict(), e.chain(), e.timeoutMs(), e.comment(), e.objName()));
    }

    private static boolean isZeroBytes(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    /** The kernel refuses an unknown flowtable (ENOENT) and flow offload outside forward (nft_flow_offload_validate). */
    private void flow(Stmt.Flow f) {
        if (!table.flowtables.containsKey(f.flowtable())) {
            kernelErrors.add(new Diag(f.loc(), "Could not process rule: No such file or directory"));
        } else if (chain != null && chain.base && !"forward".equals(chain.hook)) {
            kernelErrors.add(new Diag(f.loc(), "Could not process rule: Operation not supported"));
        }
        out.add(new Ir.Flow(f.flowtable()));
    }

    private void objref(Stmt.ObjRef o) {
        int type = switch (o.type()) { case "counter" -> 1; case "quota" -> 2; default -> 4; };
        if (o.name() instanceof Node.MapE m) {
            Ir.Val key = lhs(m.key());
            DataType dt = switch (type) { case 1 -> DataType.COUNTER; case 2 -> DataType.QUOTA; default -> DataType.LIMIT; };
            SetDef s = m.map() instanceof Node.SetLit lit ? anonSet(lit, types(key), dt, true)
                    : namedSet((Node.SetRef) m.map());
            out.add(new Ir.ObjMap(key, s));
            return;
        }
        Node.Sym name = (Node.Sym) o.name();
        if (!table.objects.containsKey(name.text())) {
            kernelErrors.add(new Diag(name.loc(), "Could not process rule: No such file or directory"));
        }
        out.add(new Ir.ObjRef(type, name.text()));
    }

    private void limit(Stmt.Limit l) {
        long unit = Units.seconds(l.timeUnit());
        boolean bytes = l.rateUnit() != null;
        long rate = bytes ? l.rate() * Units.bytes(l.rateUnit()) : l.rate();
        long burst = l.burst();
        if (bytes && l.burstGiven()) burst = l.burst() * (l.burstUnit() == null ? 1 : Units.bytes(l.burstUnit()));
        out.add(new Ir.Limit(rate, unit, burst, bytes, l.over()));
    }

    private void log(Stmt.Log l) {
        if ("audit".equals(l.level()) && (l.prefix() != null || l.group() != null || l.snaplen() != null
                || !l.flags().isEmpty())) {
            throw new EvalError(new Loc(l.loc().src(), l.loc().start(), l.loc().start() + 3),
                    "log level audit doesn't support any further options");
        }
        if (l.group() != null && l.level() != null) throw new EvalError(l.loc(), "level and group are mutually exclusive");
        if (l.group() != null && !l.flags().isEmpty()) throw new EvalError(l.loc(), "flags and group are mutually exclusive");
        int level = l.level() == null ? -1 : switch (l.level()) {
            case "emerg" -> 0; case "alert" -> 1; case "crit" -> 2; case "err" -> 3; case "warn" -> 4;
            case "notice" -> 5; case "info" -> 6; case "debug" -> 7; case "audit" -> 8;
            default -> throw new EvalError(l.loc(), "invalid log level");
        };
        int flags = 0;
        for (String f : l.flags()) {
            flags |= switch (f) {
                case "tcp sequence" -> 0x1; case "tcp options" -> 0x2; case "ip options" -> 0x4;
                case "skuid" -> 0x8; case "ether" -> 0x20; case "all" -> 0x2f;
                default -> throw new EvalError(l.loc(), "invalid log flag " + f);
            };
        }
        out.add(new Ir.Log(l.prefix(), level, flags, l.group(), l.snaplen()));
    }

    private void reject(Stmt.Reject r) {
        String fam = table.family;
        if (r.with() == null) {
            int type = fam.equals("inet") || fam.equals("netdev") ? 2 : 0;
            int code = fam.equals("ip6") ? 4 : fam.equals("ip") ? 3 : 1;
            if (type == 2 && ctx.nh == Proto.IP) { type = 0; code = 3; }
            else if (type == 2 && ctx.nh == Proto.IP6) { type = 0; code = 4; }
            out.add(new Ir.Reject(type, code));
            return;
        }
        switch (r.with()) {
            case "tcp reset" -> {
                boolean tcpPossible = ctx.th == Proto.TCP || ctx.th == Proto.TH || (ctx.thFromSet && ctx.setHasTcp);
                if ((ctx.th != null && !tcpPossible) || (ctx.th == null && ctx.thLoc != null)) {
                    throw new EvalError(r.loc(), ctx.thLoc, "you cannot use tcp reset with this protocol");
                }
                shown(() -> ctx.requireTh(Proto.TCP, r.loc(), out));
                out.add(new Ir.Reject(1, 0));
            }
            case "icmp" -> {
                shown(() -> ctx.requireNh(Proto.IP, r.loc(), out));
                out.add(new Ir.Reject(0, (int) Constants.value(constant(r.type(), DataType.ICMP_CODE), DataType.ICMP_CODE)));
            }
            case "icmpv6" -> {
                shown(() -> ctx.requireNh(Proto.IP6, r.loc(), out));
                out.add(new Ir.Reject(0, (int) Constants.value(constant(r.type(), DataType.ICMPV6_CODE), DataType.ICMPV6_CODE)));
            }
            default -> out.add(new Ir.Reject(2, (int) Constants.value(constant(r.type(), DataType.ICMPX_CODE), DataType.ICMPX_CODE)));
        }
    }

    /** Adds dependencies that nft lists back (those of reject): not marked as implicit. */
    private void shown(Runnable addDeps) {
        int before = out.size();
        addDeps.run();
        for (int i = before; i < out.size(); i++) ctx.deps.remove(out.get(i));
    }

    /** The value of a set statement or nat address: constant of type t, an expression, or a map. */
    Ir.Val value(Node n, DataType t) {
        return switch (n) {
            case Node.MapE m -> {
                // nft resolves a named map before its key expression.
                SetDef named = m.map() instanceof Node.SetRef ref ? namedSet(ref) : null;
                Ir.Val key = lhs(m.key());
                SetDef s = named != null ? named : anonSet((Node.SetLit) m.map(), types(key), t, false);
                yield new Ir.MapLookup(key, s, t);
            }
            case Node.Sym s -> new Ir.Const(Constants.parse(s, t), t);
            case Node.ListE l -> new Ir.Const(constant(l, t), t);
            case Node.Binop b when b.left() instanceof Node.Sym -> new Ir.Const(constant(b, t), t);
            default -> lhs(n);
        };
    }

    /**
     * A nat map whose data is {@code address . port} ({@code dnat ip to ip daddr . tcp dport map { ... :
     * 10.0.1.2 . 8080 }}): the lookup's result fills two registers, the address then the port. Null when
     * the map's data is a single address.
     */
    Ir.MapLookup natConcatMap(Node.MapE m, DataType addrType) {
        SetDef named = m.map() instanceof Node.SetRef ref ? namedSet(ref) : null;
        if (named != null) {
            if (named.dataTypes == null) return null;
            return new Ir.MapLookup(lhs(m.key()), named, named.dataType);
        }
        Node.SetLit lit = (Node.SetLit) m.map();
        if (lit.elems().isEmpty() || !(lit.elems().get(0) instanceof Node.Mapping first)
                || !(first.value() instanceof Node.Concat)) {
            return null;
        }
        Ir.Val key = lhs(m.key());
        List<DataType> parts = List.of(addrType, DataType.INET_SERVICE);
        DataType whole = SetDef.concatData(parts);
        return new Ir.MapLookup(key, anonSet(lit, types(key), whole, parts, false), whole);
    }

    private void set(Stmt.Set st) {
        Ir.Val target = lhs(st.target());
        switch (target) {
            case Ir.Meta m -> out.add(new Ir.MetaSet(m.key(), value(st.value(), m.type())));
            case Ir.Ct c -> {
                if (c.key() != CtKey.MARK && c.key() != CtKey.ZONE && c.key() != CtKey.LABELS) {
                    throw new EvalError(st.target().loc(), "ct " + c.key().text + " cannot be set");
                }
                out.add(new Ir.CtSet(c.key(), c.dir(), value(st.value(), c.type())));
            }
            case Ir.Payload p -> out.add(new Ir.PayloadSet(p, value(st.value(), p.type())));
            case Ir.TcpOpt t -> out.add(new Ir.TcpOptSet(t, value(st.value(), t.type())));
            default -> throw new EvalError(st.target().loc(), "expression cannot be set");
        }
    }

    private void dynset(Stmt.Dynset d) {
        SetDef s = table.sets.get(d.set());
        if (s == null) throw new EvalError(d.setLoc(), "No such file or directory");
        Ir.Val key = lhs(d.key());
        out.add(new Ir.Dynset(d.op().equals("update"), key, s, d.timeoutMs() < 0 ? 0 : d.timeoutMs()));
    }

    private void vmap(Node.MapE m) {
        Ir.Val key = lhs(m.key());
        SetDef s = m.map() instanceof Node.SetLit lit ? anonSet(lit, types(key), DataType.VERDICT, false)
                : namedSet((Node.SetRef) m.map());
        if (s.anonymous) shiftForBitField(s, key);
        out.add(new Ir.Vmap(key, s));
    }
}
