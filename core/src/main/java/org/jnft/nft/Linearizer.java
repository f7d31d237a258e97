package org.jnft.nft;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jnft.vm.Bitwise;
import org.jnft.vm.Byteorder;
import org.jnft.vm.Cmp;
import org.jnft.vm.CmpOp;
import org.jnft.vm.CtLoad;
import org.jnft.vm.CtSet;
import org.jnft.vm.Dynset;
import org.jnft.vm.Expr;
import org.jnft.vm.Immediate;
import org.jnft.vm.Lookup;
import org.jnft.vm.MetaLoad;
import org.jnft.vm.MetaSet;
import org.jnft.vm.NftSet;
import org.jnft.vm.ObjRef;
import org.jnft.vm.PayloadLoad;
import org.jnft.vm.PayloadWrite;
import org.jnft.vm.Verdict;

/** Turns evaluated rules into nf_tables VM expressions, allocating registers as nft does. */
public final class Linearizer {
    private final Map<SetDef, NftSet> sets = new IdentityHashMap<>();
    private final String table;

    public Linearizer(String table) {
        this.table = table;
    }

    public NftSet set(SetDef s) {
        return sets.computeIfAbsent(s, d -> SetLinearizer.build(d, table));
    }

    /** Stateful expressions by the statement they came from (counters, quotas), for live listings. */
    final Map<Ir, Expr> stateful = new IdentityHashMap<>();

    public List<Expr> rule(Model.Rule r) {
        List<Expr> out = new ArrayList<>();
        for (Ir s : PayloadMerge.merge(r.stmts())) stmt(s, out);
        return out;
    }

    private void stmt(Ir s, List<Expr> out) {
        switch (s) {
            case Ir.Cmp c -> cmp(c, out);
            case Ir.Range r -> range(r, out);
            case Ir.Prefix p -> prefix(p, out);
            case Ir.MaskCmp m -> {
                gen(m.left(), 1, out);
                out.add(Bitwise.bool(1, 1, m.mask(), new byte[m.mask().length]));
                out.add(new Cmp(m.op(), 1, m.value()));
            }
            case Ir.Lookup l -> {
                gen(l.left(), 1, out);
                hton(l.set(), 1, out);
                out.add(new Lookup(1, set(l.set()), -1, l.invert()));
            }
            case Ir.Vmap v -> {
                gen(v.key(), 1, out);
                hton(v.set(), 1, out);
                out.add(new Lookup(1, set(v.set()), 0, false));
            }
            case Ir.Verdict v when v.verdict().equals("queue") -> out.add(new org.jnft.vm.Queue(0));
            case Ir.Verdict v -> out.add(Immediate.verdict(verdictCode(v.verdict()), v.chain()));
            case Ir.Counter c -> out.add(remember(c, new org.jnft.vm.Counter(c.packets(), c.bytes())));
            case Ir.ObjRef o -> out.add(new ObjRef(o.type(), o.name()));
            case Ir.ObjMap m -> {
                gen(m.key(), 1, out);
                out.add(new ObjRef(1, set(m.set())));
            }
            case Ir.Limit l -> out.add(new org.jnft.vm.Limit(l.rate(), l.unitSeconds(), l.burst(), l.bytes(), l.over()));
            case Ir.Quota q -> out.add(remember(q, new org.jnft.vm.Quota(q.bytes(), q.used(), q.over())));
            case Ir.Log l -> out.add(new org.jnft.vm.Log(l.prefix(), l.level(), l.flags(), l.group(), l.snaplen()));
            case Ir.Reject r -> out.add(new org.jnft.vm.Reject(r.type(), r.code()));
            case Ir.Nat n -> nat(n, out);
            case Ir.MetaSet m -> {
                gen(m.value(), 1, out);
                out.add(new MetaSet(m.key(), 1));
            }
            case Ir.CtSet c -> {
                gen(c.value(), 1, out);
                out.add(new CtSet(c.key(), 1, c.dir()));
            }
            case Ir.PayloadSet p -> PayloadSetLinearizer.emit(this, p, out);
            case Ir.TcpOptSet t -> {
                gen(t.value(), 1, out);
                if (t.value().type().host && !t.target().type().host) {
                    out.add(new Byteorder(true, 1, 1, t.target().len(), t.target().len()));
                }
                out.add(new org.jnft.vm.Exthdr(true, true, t.target().kind(), t.target().offset(), t.target().len(), false, 1));
            }
            case Ir.Flow f -> out.add(new org.jnft.vm.FlowOffload(f.flowtable()));
            case Ir.Notrack n -> out.add(new org.jnft.vm.Notrack());
            case Ir.Dynset d -> {
                gen(d.key(), 1, out);
                out.add(new Dynset(d.update(), 1, set(d.set()), d.timeoutMs()));
            }
            case Ir.Val v -> gen(v, 1, out);
        }
    }

    /** Interval sets hold host-order keys in network order: convert the register first. */
    private static void hton(SetDef s, int reg, List<Expr> out) {
        if (s.interval && !s.isConcat() && SetLinearizer.hostKey(s)) {
            int n = s.keyType().bytes();
            out.add(new Byteorder(true, reg, reg, n, n));
        }
    }

    private Expr remember(Ir s, Expr e) {
        stateful.put(s, e);
        return e;
    }

    static int verdictCode(String v) {
        return switch (v) {
            case "accept" -> Verdict.ACCEPT;
            case "drop" -> Verdict.DROP;
            case "continue" -> Verdict.CONTINUE;
            case "return" -> Verdict.RETURN;
            case "jump" -> Verdict.JUMP;
            case "goto" -> Verdict.GOTO;
            default -> Verdict.QUEUE;
        };
    }

    /** Bit-level field inside the bytes a payload load covers: shift and mask. */
    record BitField(int offset, int len, int shift, byte[] mask) {
        static BitField of(Ir.Payload p) {
            return of(p.offsetBits(), p.lenBits());
        }

        static BitField of(int offsetBits, int lenBits) {
            int off = offsetBits / 8;
            int end = (offsetBits + lenBits + 7) / 8;
            int len = end - off;
            int shift = len * 8 - (offsetBits % 8) - lenBits;
            java.math.BigInteger m = java.math.BigInteger.ONE.shiftLeft(lenBits).subtract(java.math.BigInteger.ONE)
                    .shiftLeft(shift);
            return new BitField(off, len, shift, toBytes(m, len));
        }

        boolean partial() {
            return shift != 0 || !allOnes(mask);
        }

        byte[] place(byte[] value) {
            java.math.BigInteger v = new java.math.BigInteger(1, value).shiftLeft(shift);
            return toBytes(v, len);
        }
    }

    static boolean allOnes(byte[] b) {
        for (byte x : b) if (x != (byte) 0xff) return false;
        return true;
    }

    static byte[] toBytes(java.math.BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        byte[] r = new byte[len];
        for (int i = 0; i < Math.min(len, raw.length); i++) r[len - 1 - i] = raw[raw.length - 1 - i];
        return r;
    }

    private void cmp(Ir.Cmp c, List<Expr> out) {
        byte[] value = c.value();
        if (c.left() instanceof Ir.Payload p && BitField.of(p).partial()) {
            BitField bf = BitField.of(p);
            out.add(new PayloadLoad(p.base(), bf.offset, bf.len, 1));
            out.add(Bitwise.bool(1, 1, bf.mask, new byte[bf.len]));
            out.add(new Cmp(c.op(), 1, bf.place(value)));
            return;
        }
        if (c.left() instanceof Ir.Exthdr x && !x.present() && BitField.of(x.offsetBits(), x.lenBits()).partial()) {
            BitField bf = BitField.of(x.offsetBits(), x.lenBits());
            out.add(new org.jnft.vm.Exthdr(false, false, x.hdrType(), bf.offset, bf.len, false, 1));
            out.add(Bitwise.bool(1, 1, bf.mask, new byte[bf.len]));
            out.add(new Cmp(c.op(), 1, bf.place(value)));
            return;
        }
        if (c.left() instanceof Ir.Fib f && value.length == 1 && f.type() != DataType.FIB_ADDRTYPE) {
            out.add(new org.jnft.vm.Fib(f.flagsText(), f.result(), true, 1));
            out.add(new Cmp(c.op(), 1, new byte[] {value[0], 0, 0, 0}));
            return;
        }
        gen(c.left(), 1, out);
        if (c.hostSize() > 0) {
            out.add(new Byteorder(true, 1, 1, c.left().len(), c.hostSize()));
            value = Constants.toBig(value, c.hostSize());
        }
        out.add(new Cmp(c.op(), 1, value));
    }

    private void range(Ir.Range r, List<Expr> out) {
        gen(r.left(), 1, out);
        byte[] lo = r.lo(), hi = r.hi();
        if (r.hostSize() > 0) {
            out.add(new Byteorder(true, 1, 1, r.left().len(), r.hostSize()));
            lo = Constants.toBig(lo, r.hostSize());
            hi = Constants.toBig(hi, r.hostSize());
        }
        if (r.neq()) {
            out.add(new org.jnft.vm.Range(true, 1, lo, hi));
        } else {
            out.add(new Cmp(CmpOp.GTE, 1, lo));
            out.add(new Cmp(CmpOp.LTE, 1, hi));
        }
    }

    private void prefix(Ir.Prefix p, List<Expr> out) {
        CmpOp op = p.neq() ? CmpOp.NEQ : CmpOp.EQ;
        byte[] v = p.value();
        if (p.left() instanceof Ir.Payload pl && p.bits() % 8 == 0 && pl.offsetBits() % 8 == 0) {
            int n = p.bits() / 8;
            out.add(new PayloadLoad(pl.base(), pl.offsetBits() / 8, n, 1));
            out.add(new Cmp(op, 1, java.util.Arrays.copyOf(v, n)));
            return;
        }
        gen(p.left(), 1, out);
        if (p.bits() % 8 == 0 && !(p.left() instanceof Ir.Payload)) {
            out.add(new Cmp(op, 1, java.util.Arrays.copyOf(v, p.bits() / 8)));
            return;
        }
        byte[] mask = Constants.prefixMask(p.bits(), v.length);
        byte[] masked = v.clone();
        for (int i = 0; i < v.length; i++) masked[i] &= mask[i];
        out.add(Bitwise.bool(1, 1, mask, new byte[v.length]));
        out.add(new Cmp(op, 1, masked));
    }

    /** Loads {@code v} into register {@code dreg} (a 128-bit register number). */
    void gen(Ir.Val v, int dreg, List<Expr> out) {
        switch (v) {
            case Ir.Payload p -> {
                BitField bf = BitField.of(p);
                out.add(new PayloadLoad(p.base(), bf.offset, bf.len, dreg));
                if (bf.partial()) out.add(Bitwise.bool(dreg, dreg, bf.mask, new byte[bf.len]));
            }
            case Ir.Meta m -> out.add(new MetaLoad(m.key(), dreg));
            case Ir.Ct c -> out.add(new CtLoad(c.key(), dreg, c.dir()));
            case Ir.Rt r -> out.add(new org.jnft.vm.RtLoad(r.key(), dreg));
            case Ir.Fib f -> out.add(new org.jnft.vm.Fib(f.flagsText(), f.result(), false, dreg));
            case Ir.TcpOpt t -> out.add(new org.jnft.vm.Exthdr(true, false, t.kind(), t.offset(), t.len(), t.present(), dreg));
            case Ir.Exthdr x -> {
                BitField bf = BitField.of(x.offsetBits(), x.lenBits());
                out.add(new org.jnft.vm.Exthdr(false, false, x.hdrType(), x.present() ? 0 : bf.offset,
                        x.present() ? 1 : bf.len, x.present(), dreg));
                if (!x.present() && bf.partial()) out.add(Bitwise.bool(dreg, dreg, bf.mask, new byte[bf.len]));
            }
            case Ir.Concat c -> {
                int word = 0;
                for (Ir.Val part : c.parts()) {
                    // 128-bit aligned parts are named by their 128-bit register, others by the 32-bit one.
                    int reg = word % 4 == 0 ? dreg + word / 4 : 8 + (dreg - 1) * 4 + word;
                    gen(part, reg, out);
                    word += (part.len() + 3) / 4;
                }
            }
            case Ir.Masked m -> {
                gen(m.val(), dreg, out);
                out.add(Bitwise.bool(dreg, dreg, m.mask(), m.xor()));
            }
            case Ir.Shift s -> {
                gen(s.val(), dreg, out);
                out.add(Bitwise.shift(s.left() ? Bitwise.Op.LSHIFT : Bitwise.Op.RSHIFT, dreg, dreg, s.len(), s.n()));
            }
            case Ir.Const c -> out.add(Immediate.data(dreg, c.bytes()));
            case Ir.MapLookup m -> {
                gen(m.key(), dreg, out);
                hton(m.set(), dreg, out);
                out.add(new Lookup(dreg, set(m.set()), dreg, false));
            }
        }
    }

    private void nat(Ir.Nat n, List<Expr> out) {
        int reg = 1, amin = 0, amax = 0, pmin = 0, pmax = 0;
        if (n.addrMin() instanceof Ir.MapLookup m && m.set().dataTypes != null) {
            // address . port data: the port is the part after the address, named as concatenations name it
            gen(m, amin = 1, out);
            int word = (m.set().dataTypes.get(0).bytes() + 3) / 4;
            pmin = word % 4 == 0 ? 1 + word / 4 : 8 + word;
        } else if (n.addrMin() != null) gen(n.addrMin(), amin = reg++, out);
        if (n.addrMax() != null) gen(n.addrMax(), amax = reg++, out);
        if (n.portMin() != null) gen(n.portMin(), pmin = reg++, out);
        if (n.portMax() != null) gen(n.portMax(), pmax = reg++, out);
        org.jnft.vm.Nat.Kind k = switch (n.kind()) {
            case "masq" -> org.jnft.vm.Nat.Kind.MASQ;
            case "redir" -> org.jnft.vm.Nat.Kind.REDIR;
            case "snat" -> org.jnft.vm.Nat.Kind.SNAT;
            default -> org.jnft.vm.Nat.Kind.DNAT;
        };
        out.add(new org.jnft.vm.Nat(k, n.family(), amin, amax, pmin, pmax, n.flags()));
    }
}
