package org.jnft.nft;

import java.util.List;
import org.jnft.vm.Bitwise;
import org.jnft.vm.Expr;
import org.jnft.vm.PayloadLoad;
import org.jnft.vm.PayloadWrite;

/** {@code payload set}: checksum parameters and read-modify-write of sub-byte or odd-aligned fields. */
final class PayloadSetLinearizer {
    private PayloadSetLinearizer() {}

    static void emit(Linearizer lin, Ir.PayloadSet ps, List<Expr> out) {
        Ir.Payload p = ps.target();
        Proto proto = p.proto();
        int csumType = proto.csumOffset() >= 0 ? 1 : 0;
        int csumOff = Math.max(0, proto.csumOffset());
        boolean pseudo = (proto == Proto.IP || proto == Proto.IP6)
                && (p.field().name().equals("saddr") || p.field().name().equals("daddr")
                || p.field().name().equals("protocol") || p.field().name().equals("nexthdr"));
        int csumFlags = pseudo ? 1 : 0;
        Linearizer.BitField bf = Linearizer.BitField.of(p);
        int off = bf.offset(), len = bf.len();
        boolean rmw = bf.partial() || (csumType == 1 && (off % 2 != 0 || len % 2 != 0));
        if (!rmw) {
            lin.gen(ps.value(), 1, out);
            out.add(new PayloadWrite(p.base(), off, len, 1, csumType, csumOff, csumFlags));
            return;
        }
        if (!(ps.value() instanceof Ir.Const c)) throw new IllegalStateException("non-constant sub-byte payload set");
        int start = csumType == 1 ? off & ~1 : off;
        int end = off + len;
        if (csumType == 1 && (end - start) % 2 != 0) end++;
        int n = end - start;
        byte[] fieldMask = new byte[n], value = new byte[n];
        byte[] placed = bf.place(c.bytes());
        for (int i = 0; i < len; i++) {
            fieldMask[off - start + i] = bf.mask()[i];
            value[off - start + i] = placed[i];
        }
        byte[] keep = new byte[n];
        for (int i = 0; i < n; i++) keep[i] = (byte) ~fieldMask[i];
        out.add(new PayloadLoad(p.base(), start, n, 1));
        out.add(Bitwise.bool(1, 1, keep, value));
        out.add(new PayloadWrite(p.base(), start, n, 1, csumType, csumOff, csumFlags));
    }
}
