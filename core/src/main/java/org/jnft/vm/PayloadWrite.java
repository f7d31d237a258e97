package org.jnft.vm;

/** {@code payload write reg R => Nb @ BASE header + OFF csum_type T csum_off O csum_flags F}. */
public final class PayloadWrite implements Expr {
    public final PayloadBase base;
    public final int offset, len, sreg, csumType, csumOffset, csumFlags;

    public PayloadWrite(PayloadBase base, int offset, int len, int sreg, int csumType, int csumOffset, int csumFlags) {
        this.base = base;
        this.offset = offset;
        this.len = len;
        this.sreg = sreg;
        this.csumType = csumType;
        this.csumOffset = csumOffset;
        this.csumFlags = csumFlags;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        int start = base.start(p);
        if (start < 0 || start + offset + len > p.frameLength) {
            r.verdict = Verdict.BREAK;
            return;
        }
        int o = Regs.offset(sreg);
        int at = start + offset;
        if (csumType == 1 && len % 2 == 0 && offset % 2 == 0) {
            int cs = start + csumOffset;
            int sum = ~(p.byteAt(cs) << 8 | p.byteAt(cs + 1)) & 0xffff;
            for (int i = 0; i < len; i += 2) {
                sum += ~(p.byteAt(at + i) << 8 | p.byteAt(at + i + 1)) & 0xffff;
                sum += (r.data[o + i] & 0xff) << 8 | (r.data[o + i + 1] & 0xff);
            }
            while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
            sum = ~sum & 0xffff;
            p.setByteAt(cs, sum >>> 8);
            p.setByteAt(cs + 1, sum);
        }
        for (int i = 0; i < len; i++) p.setByteAt(at + i, r.data[o + i]);
    }

    @Override
    public String toString() {
        return "payload write reg " + sreg + " => " + len + "b @ " + base.text + " header + " + offset
                + " csum_type " + csumType + " csum_off " + csumOffset + " csum_flags 0x" + Integer.toHexString(csumFlags);
    }
}
