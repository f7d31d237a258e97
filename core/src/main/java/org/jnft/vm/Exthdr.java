package org.jnft.vm;

/**
 * Extension header access: TCP options ({@code exthdr load tcpopt Nb @ KIND + OFF [present] => reg R},
 * {@code exthdr write tcpopt reg R => Nb @ KIND + OFF}) or IPv6 extension headers ({@code exthdr load ipv6
 * Nb @ TYPE + OFF [present] => reg R}). Walks the options or the header chain of the packet.
 */
public final class Exthdr implements Expr {
    public final boolean tcp, write, present;
    public final int kind, offset, len, reg;

    public Exthdr(boolean tcp, boolean write, int kind, int offset, int len, boolean present, int reg) {
        this.tcp = tcp;
        this.write = write;
        this.kind = kind;
        this.offset = offset;
        this.len = len;
        this.present = present;
        this.reg = reg;
    }

    /** Offset of the option or extension header within the frame, or -1. */
    private int find(NftPacket p) {
        return tcp ? findOption(p) : findIpv6(p);
    }

    private int findIpv6(NftPacket p) {
        int nh = p.networkOffset;
        if (nh < 0 || p.nfproto != NftPacket.NFPROTO_IPV6 || nh + 40 > p.frameLength) return -1;
        int next = p.byteAt(nh + 6);
        int o = nh + 40;
        while (o + 2 <= p.frameLength) {
            if (next == kind) return o;
            int len;
            switch (next) {
                case 0, 43, 60, 135 -> len = (p.byteAt(o + 1) + 1) * 8;
                case 44 -> len = 8;
                case 51 -> len = (p.byteAt(o + 1) + 2) * 4;
                default -> { return -1; }
            }
            next = p.byteAt(o);
            o += len;
        }
        return -1;
    }

    private int findOption(NftPacket p) {
        int th = p.fragment ? -1 : p.transportOffset;
        if (th < 0 || p.l4proto != 6 || th + 20 > p.frameLength) return -1;
        int end = th + ((p.byteAt(th + 12) >> 4) * 4);
        for (int o = th + 20; o < end && o < p.frameLength; ) {
            int k = p.byteAt(o);
            if (k == 0) return -1;
            if (k == 1) { o++; continue; }
            if (o + 1 >= p.frameLength) return -1;
            int l = p.byteAt(o + 1);
            if (k == kind) return o;
            if (l < 2) return -1;
            o += l;
        }
        return -1;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        int at = find(p);
        int o = Regs.offset(reg);
        if (!write) {
            if (present) {
                r.setU8(reg, at >= 0 ? 1 : 0);
                return;
            }
            if (at < 0 || at + offset + len > p.frameLength) {
                r.verdict = Verdict.BREAK;
                return;
            }
            for (int i = 0; i < len; i++) r.data[o + i] = (byte) p.byteAt(at + offset + i);
            return;
        }
        if (at < 0 || at + offset + len > p.frameLength) return;
        for (int i = 0; i < len; i++) p.setByteAt(at + offset + i, r.data[o + i]);
    }

    @Override
    public String toString() {
        String op = tcp ? "tcpopt" : "ipv6";
        if (write) return "exthdr write " + op + " reg " + reg + " => " + len + "b @ " + kind + " + " + offset;
        return "exthdr load " + op + " " + len + "b @ " + kind + " + " + offset + (present ? " present" : "") + " => reg " + reg;
    }
}
