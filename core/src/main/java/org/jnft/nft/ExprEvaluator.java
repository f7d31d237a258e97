package org.jnft.nft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jnft.vm.CmpOp;
import org.jnft.vm.CtKey;

/** Left-hand expressions, relations and set literals of one rule, with its protocol context. */
class ExprEvaluator {
    final Model.Table table;
    final Context ctx;
    final List<Ir> out = new ArrayList<>();
    final List<SetDef> anonSets = new ArrayList<>();
    /** Errors the kernel would give for this rule (missing named objects): the rule still prints. */
    final List<Diag> kernelErrors = new ArrayList<>();

    /** All tables, for "did you mean" hints. */
    Iterable<Model.Table> allTables = java.util.List.of();

    ExprEvaluator(Model.Table table) {
        this.table = table;
        this.ctx = new Context(table.family);
    }

    Ir.Val lhs(Node n) {
        return switch (n) {
            case Node.Payload p -> payload(p);
            case Node.Meta m -> meta(m);
            case Node.Ct c -> ct(c);
            case Node.Rt r -> new Ir.Rt(r.key().equals("mtu") ? "tcpmss" : r.key(), r.key().equals("mtu")
                    ? DataType.integer(16, true) : DataType.IPV4);
            case Node.Fib f -> fib(f);
            case Node.TcpOpt t -> tcpopt(t);
            case Node.Exthdr x -> exthdr(x);
            case Node.RawPayload r -> raw(r);
            case Node.Concat c -> {
                List<Ir.Val> parts = new ArrayList<>();
                for (Node x : c.parts()) parts.add(lhs(x));
                yield new Ir.Concat(parts, DataType.INTEGER);
            }
            case Node.Binop b -> binop(b);
            default -> throw new EvalError(n.loc(), "invalid expression");
        };
    }

    private Ir.Val payload(Node.Payload p) {
        Proto proto = Proto.BY_NAME.get(p.proto());
        if (proto == null) throw new EvalError(p.loc(), "unsupported protocol " + p.proto());
        Proto.Field f = proto.fields().get(p.field());
        if (f == null) throw new EvalError(p.loc(), "syntax error, unexpected " + p.field());
        ctx.require(proto, p.loc(), out);
        long[] types = Proto.TYPE_DEPENDENCIES.get(proto.name() + " " + f.name());
        if (types != null && !ctx.icmpTypeKnown) typeDependency(proto, types);
        if (f.name().equals("type") && (proto == Proto.ICMP || proto == Proto.ICMPV6)) ctx.icmpTypeKnown = true;
        return new Ir.Payload(proto, f, f.type());
    }

    /** nft's dependency on the ICMP type for fields of some message types only. */
    private void typeDependency(Proto proto, long[] types) {
        Proto.Field tf = proto.fields().get("type");
        Ir.Payload type = new Ir.Payload(proto, tf, tf.type());
        Ir dep;
        if (types.length == 1) {
            dep = new Ir.Cmp(type, CmpOp.EQ, new byte[] {(byte) types[0]}, 0);
            ctx.deps.add(dep); // a single type is implied by the field and not listed; a set of types is
        } else {
            SetDef s = new SetDef("__set%d", true, List.of(tf.type()), null, List.of("constant"), 0, 0, false);
            for (long t : types) s.elems.add(new SetDef.Elem(new byte[] {(byte) t}, null, null, null, null, -1, null, null));
            anonSets.add(s);
            dep = new Ir.Lookup(type, s, false);
        }
        out.add(dep); // listed back by nft, so not a hidden dependency
        ctx.icmpTypeKnown = true;
    }

    private Ir.Val meta(Node.Meta m) {
        Keys.MetaDef d = Keys.META.get(m.key());
        if (d == null) throw new EvalError(m.loc(), "syntax error, unexpected " + m.key());
        if (m.key().equals("nfproto") && !table.family.equals("inet")) {
            throw new EvalError(m.loc(), "meta nfproto is only useful in the inet family");
        }
        return new Ir.Meta(d.key(), d.type());
    }

    private Ir.Val ct(Node.Ct c) {
        int dir = c.dir() == null ? -1 : c.dir().equals("original") ? 0 : 1;
        String k = c.key();
        if (k.equals("saddr") || k.equals("daddr")) {
            // Without ip/ip6, only an explicit network protocol match (meta nfproto) decides, as in nft.
            Proto known = ctx.nhExplicit ? ctx.nh : null;
            String fam = c.family() != null ? c.family() : known == Proto.IP ? "ip" : known == Proto.IP6 ? "ip6" : null;
            if (fam == null) {
                throw new EvalError(c.loc(), "cannot determine ip protocol version, use \"ip " + k + "\" or \"ip6 "
                        + k + "\" instead");
            }
            boolean v6 = fam.equals("ip6");
            Proto wanted = v6 ? Proto.IP6 : Proto.IP;
            if (ctx.nh != null && ctx.nh != wanted) {
                throw new EvalError(c.loc(), "conflicting protocols specified: " + ctx.nh.name() + " vs. " + wanted.name());
            }
            CtKey key = k.equals("saddr") ? (v6 ? CtKey.SRC_IP6 : CtKey.SRC_IP) : (v6 ? CtKey.DST_IP6 : CtKey.DST_IP);
            return new Ir.Ct(key, dir, v6 ? DataType.IPV6 : DataType.IPV4);
        }
        Keys.CtDef d = Keys.CT.get(k);
        if (d == null) throw new EvalError(c.loc(), "syntax error, unexpected " + k);
        if ((d.key() == CtKey.PROTO_SRC || d.key() == CtKey.PROTO_DST) && ctx.th == null) {
            return new Ir.Ct(d.key(), dir, DataType.INVALID); // no transport protocol known: no port type
        }
        return new Ir.Ct(d.key(), dir, d.type());
    }

    private Ir.Val fib(Node.Fib f) {
        boolean saddr = f.flags().contains("saddr"), daddr = f.flags().contains("daddr");
        if (saddr && daddr) throw new EvalError(f.flagsLoc(), "fib: saddr and daddr are mutually exclusive");
        if (!saddr && !daddr) throw new EvalError(f.flagsLoc(), "fib: need either saddr or daddr");
        String text = String.join(" . ", f.flags());
        return switch (f.result()) {
            case "type" -> new Ir.Fib(text, "type", false, DataType.FIB_ADDRTYPE);
            case "oifname" -> new Ir.Fib(text, "oifname", false, DataType.IFNAME);
            default -> new Ir.Fib(text, "oif", false, DataType.IFACE_INDEX);
        };
    }

    /** {@code @base,offset,length}: a payload field without template (no dependency; offset 0 length 0 invalid). */
    private Ir.Val raw(Node.RawPayload r) {
        if (r.lenBits() <= 0 || r.lenBits() > 128) throw new EvalError(r.loc(), "raw payload length " + r.lenBits() + " is invalid");
        org.jnft.vm.PayloadBase base = switch (r.base()) {
            case "ll" -> org.jnft.vm.PayloadBase.LL;
            case "nh" -> org.jnft.vm.PayloadBase.NH;
            case "th" -> org.jnft.vm.PayloadBase.TH;
            default -> org.jnft.vm.PayloadBase.INNER;
        };
        Proto p = new Proto("@" + r.base(), base, 0, java.util.Map.of(), -1, false, -1);
        DataType t = DataType.raw(r.lenBits());
        return new Ir.Payload(p, new Proto.Field(r.offsetBits() + "," + r.lenBits(), r.offsetBits(), r.lenBits(), t), t);
    }

    private Ir.Val exthdr(Node.Exthdr x) {
        ExtHeaders.Header h = ExtHeaders.BY_NAME.get(x.header());
        if (x.field() == null) return new Ir.Exthdr(h.name(), h.type(), null, 0, 8, true, DataType.BOOLEAN);
        ctx.requireNh(Proto.IP6, x.loc(), out);
        Proto.Field f = h.fields().get(x.field());
        return new Ir.Exthdr(h.name(), h.type(), f.name(), f.offsetBits(), f.lenBits(), false, f.type());
    }

    private Ir.Val tcpopt(Node.TcpOpt t) {
        // nft adds no dependency for TCP options and leaves the protocol context alone.
        TcpOptions.Option o = TcpOptions.find(t.option());
        if (o == null) throw new EvalError(t.loc(), "syntax error, unexpected string");
        if (t.field() == null || t.field().equals("exists") || t.field().equals("missing")) {
            return new Ir.TcpOpt(o.name(), o.kind(), 0, 1, true, DataType.BOOLEAN);
        }
        TcpOptions.Field f = o.fields().get(t.field());
        if (f == null) throw new EvalError(t.loc(), "syntax error, unexpected " + t.field());
        return new Ir.TcpOpt(o.name(), o.kind(), f.offset(), f.len(), false, DataType.integer(f.len() * 8, false));
    }

    private Ir.Val binop(Node.Binop b) {
        Ir.Val left = lhs(b.left());
        DataType t = left.type();
        if (b.op().equals("<<") || b.op().equals(">>")) {
            if (!(b.right() instanceof Node.Sym s)) throw new EvalError(b.right().loc(), "Binary operation must be constant");
            return new Ir.Shift(left, b.op().equals("<<"), (int) TokenStream.parseNumber(s.text()));
        }
        byte[] v = constant(b.right(), t.bits == 0 ? t.withBits(left.len() * 8) : t);
        int n = left.len();
        byte[] mask = new byte[n], xor = new byte[n];
        switch (b.op()) {
            case "&" -> { mask = v; }
            case "|" -> { for (int i = 0; i < n; i++) { mask[i] = (byte) ~v[i]; xor[i] = v[i]; } }
            default -> { java.util.Arrays.fill(mask, (byte) 0xff); xor = v; }
        }
        if (left instanceof Ir.Masked m) {
            byte[] m2 = new byte[n], x2 = new byte[n];
            for (int i = 0; i < n; i++) {
                m2[i] = (byte) (m.mask()[i] & mask[i]);
                x2[i] = (byte) ((m.xor()[i] & mask[i]) ^ xor[i]);
            }
            return new Ir.Masked(m.val(), m2, x2);
        }
        return new Ir.Masked(left, mask, xor);
    }

    /** The data type a right-hand side must have: the left's, or the concatenation of its parts'. */
    static List<DataType> types(Ir.Val v) {
        if (v instanceof Ir.Concat c) {
            List<DataType> r = new ArrayList<>();
            for (Ir.Val p : c.parts()) r.add(p.type());
            return r;
        }
        return List.of(v.type());
    }

    /** A constant of type {@code t}: a symbol, a list of flags (or-ed), a variable's value. */
    static byte[] constant(Node n, DataType t) {
        return switch (n) {
            case Node.Sym s -> Constants.parse(s, t);
            case Node.ListE l -> {
                byte[] acc = null;
                for (Node x : l.items()) {
                    byte[] v = constant(x, t);
                    acc = acc == null ? v : Constants.or(acc, v);
                }
                yield acc;
            }
            case Node.Binop b when b.op().equals("|") -> Constants.or(constant(b.left(), t), constant(b.right(), t));
            case Node.Binop b when b.op().equals("&") || b.op().equals("^") -> {
                byte[] x = constant(b.left(), t), y = constant(b.right(), t), r = x.clone();
                for (int i = 0; i < r.length; i++) r[i] = (byte) (b.op().equals("&") ? x[i] & y[i] : x[i] ^ y[i]);
                yield r;
            }
            case Node.Concat c -> throw new EvalError(c.loc(), "unexpected concatenation");
            default -> throw new EvalError(n.loc(), "Expression is not a constant");
        };
    }

    /** Concatenated constant: each part padded to 32 bits. */
    static byte[] concatConstant(Node n, List<DataType> types) {
        if (types.size() == 1) return constant(n, types.get(0));
        if (!(n instanceof Node.Concat c) || c.parts().size() != types.size()) {
            throw new EvalError(n.loc(), "datatype mismatch, expected concatenation of (" + types.size() + ") items");
        }
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < types.size(); i++) {
            byte[] v = constant(c.parts().get(i), types.get(i));
            o.writeBytes(v);
            for (int k = v.length; k % 4 != 0; k++) o.write(0);
        }
        return o.toByteArray();
    }

    // ---- anonymous sets ----

    SetDef anonSet(Node.SetLit lit, List<DataType> keyTypes, DataType dataType, boolean objMap) {
        return anonSet(lit, keyTypes, dataType, null, objMap);
    }

    /** An anonymous set or map; {@code dataTypes} non-null for concatenated data (dataType its whole). */
    SetDef anonSet(Node.SetLit lit, List<DataType> keyTypes, DataType dataType, List<DataType> dataTypes,
                   boolean objMap) {
        boolean interval = false;
        for (Node e : lit.elems()) {
            Node k = e instanceof Node.Mapping m ? m.key() : e;
            if (k instanceof Node.Elem x) k = x.expr();
            if (k instanceof Node.Range || k instanceof Node.Prefix) interval = true;
            if (k instanceof Node.Concat c) {
                for (Node p : c.parts()) if (p instanceof Node.Range || p instanceof Node.Prefix) interval = true;
            }
        }
        List<String> flags = new ArrayList<>(List.of("constant"));
        if (interval) flags.add("interval");
        String name = dataType == null ? "__set%d" : objMap ? "__objmap%d" : "__map%d";
        SetDef s = new SetDef(name, true, keyTypes, dataType, flags, 0, 0, dataType != null);
        s.dataTypes = dataTypes;
        fillElements(s, lit.elems(), true);
        anonSets.add(s);
        return s;
    }

    /** Converts element nodes; anonymous interval sets are sorted and merged (nft's automerge). */
    static void fillElements(SetDef s, List<Node> elems, boolean merge) {
        List<SetDef.Elem> list = new ArrayList<>();
        for (Node e : elems) list.add(element(s, e));
        if (s.interval && !s.isConcat() && (!merge || s.map)) checkOverlaps(s, elems, list);
        if (s.interval && !s.isConcat()) {
            boolean host = s.keyType().host;
            list.sort(Comparator.comparing(e -> host ? reverse(e.key()) : e.key(), Constants::compare));
            if (merge) list = mergeRanges(list, host);
        }
        s.elems.addAll(list);
    }

    /** Merges overlapping and adjacent ranges (compared as numbers: host-order keys reversed). */
    /** Sorts interval elements by value (host-order keys compared as numbers). */
    static void sortIntervals(List<SetDef.Elem> elems, SetDef s) {
        boolean host = s.keyType().host;
        elems.sort(Comparator.comparing(e -> host ? reverse(e.key()) : e.key(), Constants::compare));
    }

    /** Intervals that overlap cannot be kept apart (maps, sets without automerge): nft's error. */
    private static void checkOverlaps(SetDef s, List<Node> nodes, List<SetDef.Elem> elems) {
        boolean host = s.keyType().host;
        java.util.function.UnaryOperator<byte[]> num = b -> host ? reverse(b) : b;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < elems.size(); i++) order.add(i);
        order.sort(Comparator.comparing(i -> num.apply(elems.get(i).key()), Constants::compare));
        for (int k = 1; k < order.size(); k++) {
            int a = order.get(k - 1), b = order.get(k);
            SetDef.Elem ea = elems.get(a);
            byte[] hiA = ea.keyEnd() == null ? ea.key() : ea.keyEnd();
            if (Constants.compare(num.apply(elems.get(b).key()), num.apply(hiA)) <= 0) {
                int later = Math.max(a, b), earlier = Math.min(a, b);
                throw new EvalError(keyLoc(nodes.get(later)), keyLoc(nodes.get(earlier)), "conflicting intervals specified");
            }
        }
    }

    private static Loc keyLoc(Node n) {
        Node k = n instanceof Node.Mapping m ? m.key() : n;
        return k instanceof Node.Elem x ? x.expr().loc() : k.loc();
    }

    private static List<SetDef.Elem> mergeRanges(List<SetDef.Elem> list, boolean host) {
        java.util.function.UnaryOperator<byte[]> num = b -> host ? reverse(b) : b;
        List<SetDef.Elem> r = new ArrayList<>();
        for (SetDef.Elem e : list) {
            if (!r.isEmpty() && r.getLast().data() == null && r.getLast().verdict() == null && e.data() == null
                    && e.verdict() == null) {
                SetDef.Elem last = r.getLast();
                byte[] lastEnd = last.keyEnd() == null ? last.key() : last.keyEnd();
                byte[] next = Constants.plusOne(num.apply(lastEnd));
                if (next == null || Constants.compare(num.apply(e.key()), next) <= 0) {
                    byte[] end = e.keyEnd() == null ? e.key() : e.keyEnd();
                    if (Constants.compare(num.apply(end), num.apply(lastEnd)) > 0) {
                        r.set(r.size() - 1, new SetDef.Elem(last.key(), end, null, null, null, -1, null, null));
                    }
                    continue;
                }
            }
            r.add(e);
        }
        return r;
    }

    static SetDef.Elem element(SetDef s, Node e) {
        Node key = e, value = null;
        long timeout = -1;
        String comment = null;
        if (e instanceof Node.Mapping m) {
            key = m.key();
            value = m.value();
        }
        if (key instanceof Node.Elem x) {
            timeout = x.timeoutMs();
            comment = x.comment();
            key = x.expr();
        }
        byte[] lo, hi = null;
        List<DataType> kt = s.keyTypes;
        if (kt.size() > 1 && key instanceof Node.Concat c && s.interval) {
            java.io.ByteArrayOutputStream a = new java.io.ByteArrayOutputStream(), b = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < kt.size(); i++) {
                byte[][] r = bounds(c.parts().get(i), kt.get(i));
                a.writeBytes(r[0]);
                b.writeBytes(r[1]);
                for (int k = r[0].length; k % 4 != 0; k++) { a.write(0); b.write(0); }
            }
            lo = a.toByteArray();
            hi = b.toByteArray();
        } else if (kt.size() > 1) {
            lo = concatConstant(key, kt);
        } else {
            byte[][] r = bounds(key, kt.get(0));
            lo = r[0];
            if (key instanceof Node.Range || key instanceof Node.Prefix) hi = r[1];
        }
        if (value == null) return new SetDef.Elem(lo, hi, null, null, null, timeout, comment, null);
        if (value instanceof Node.Verdict v) return new SetDef.Elem(lo, hi, null, v.verdict(), v.chain(), timeout, comment, null);
        if (s.isObjectMap()) {
            return new SetDef.Elem(lo, hi, null, null, null, timeout, comment, ((Node.Sym) value).text());
        }
        if (s.dataType == null) throw new EvalError(value.loc(), "mapping outside of map");
        byte[] data = s.dataTypes != null ? concatConstant(value, s.dataTypes) : constant(value, s.dataType);
        return new SetDef.Elem(lo, hi, data, null, null, timeout, comment, null);
    }

    /** [low, high] of a value, range or prefix. */
    static byte[][] bounds(Node n, DataType t) {
        if (n instanceof Node.Range r) {
            byte[] lo = constant(r.lo(), t), hi = constant(r.hi(), t);
            boolean reversed = t.host;
            int c = reversed ? Constants.compare(reverse(lo), reverse(hi)) : Constants.compare(lo, hi);
            if (c > 0) {
                throw new EvalError(r.loc(), "Range has zero or negative size");
            }
            return new byte[][] {lo, hi};
        }
        if (n instanceof Node.Prefix p) {
            byte[] v = constant(p.expr(), t);
            if (p.len() > t.bits) {
                throw new EvalError(p.loc(), "Prefix length " + p.len() + " is invalid for type of " + t.bits + " bits width");
            }
            byte[] m = Constants.prefixMask(p.len(), v.length);
            byte[] lo = v.clone(), hi = v.clone();
            for (int i = 0; i < v.length; i++) {
                lo[i] = (byte) (v[i] & m[i]);
                hi[i] = (byte) (v[i] | ~m[i]);
            }
            return new byte[][] {lo, hi};
        }
        byte[] v = constant(n, t);
        return new byte[][] {v, v};
    }

    static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) r[i] = b[b.length - 1 - i];
        return r;
    }

    SetDef namedSet(Node.SetRef r) {
        SetDef s = table.sets.get(r.name());
        if (s == null) throw new EvalError(r.loc(), "No such file or directory" + setHint(r.name()));
        return s;
    }

    /** "; did you mean set 'x' in table inet 'filter'?" over every table, as nft's set_lookup_fuzzy. */
    String setHint(String name) {
        String best = null;
        Model.Table where = null;
        int bestD = Integer.MAX_VALUE;
        for (Model.Table t : allTables) {
            String c = Misspell.suggest(name, t.sets.keySet());
            if (c != null && Misspell.distance(name, c) < bestD) {
                bestD = Misspell.distance(name, c);
                best = c;
                where = t;
            }
        }
        return best == null ? "" : "; did you mean set ‘" + best + "’ in table " + where.family + " ‘"
                + where.name + "’?";
    }

    static String typeDesc(List<DataType> types) {
        if (types.size() == 1) return types.get(0).desc;
        List<String> d = new ArrayList<>();
        for (DataType t : types) d.add(t.desc);
        return "concatenation of (" + String.join(", ", d) + ")";
    }

    void checkSetType(Ir.Val left, Node leftNode, SetDef s, Node ref) {
        List<DataType> lt = types(left);
        List<DataType> st = s.keyTypes;
        boolean ok = lt.size() == st.size();
        for (int i = 0; ok && i < lt.size(); i++) ok = lt.get(i).name.equals(st.get(i).name) || lt.get(i).kind == DataType.Kind.INTEGER && st.get(i).kind == DataType.Kind.INTEGER && lt.get(i).bytes() == st.get(i).bytes() && lt.get(i).name.equals("integer");
        if (!ok) {
            throw new EvalError(ref.loc(), leftNode.loc(), "datatype mismatch, expected " + typeDesc(lt)
                    + ", expression has type " + typeDesc(st));
        }
    }

    static CmpOp op(String s) {
        return switch (s) {
            case "!=" -> CmpOp.NEQ;
            case "<" -> CmpOp.LT;
            case ">" -> CmpOp.GT;
            case "<=" -> CmpOp.LTE;
            case ">=" -> CmpOp.GTE;
            default -> CmpOp.EQ;
        };
    }
}
