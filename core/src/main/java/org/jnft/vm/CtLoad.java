package org.jnft.vm;

/** {@code ct load KEY => reg R [, dir original|reply]}. Acts on the packet's conntrack view. */
public final class CtLoad implements Expr {
    /** ct state bits as the kernel's NF_CT_STATE_*: invalid 1, established 2, related 4, new 8, untracked 64. */
    public static final int STATE_INVALID = 1, STATE_UNTRACKED = 64;
    public final CtKey key;
    public final int dreg;
    /** -1 without direction, else 0 original, 1 reply. */
    public final int dir;

    public CtLoad(CtKey key, int dreg, int dir) {
        this.key = key;
        this.dreg = dreg;
        this.dir = dir;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        if (key == CtKey.STATE) {
            r.setU32(dreg, p.notrack ? STATE_UNTRACKED : p.ctPresent ? p.ctState : STATE_INVALID);
            return;
        }
        if (!p.ctPresent) {
            r.verdict = Verdict.BREAK;
            return;
        }
        switch (key) {
            case MARK -> r.setU32(dreg, p.ctMark);
            case STATUS -> r.setU32(dreg, p.ctStatus);
            case DIRECTION -> r.setU8(dreg, p.ctDirection);
            default -> entryKey(r, p, e);
        }
    }

    /** Keys read from the entry itself (nft_ct_get_eval). */
    private void entryKey(Regs r, NftPacket p, Engine e) {
        org.jnft.conntrack.CtEntry ct = p.ct == null ? null : p.ct.ct;
        if (ct == null) {
            r.verdict = Verdict.BREAK;
            return;
        }
        int o = Regs.offset(dreg);
        byte[] d = r.data;
        org.jnft.conntrack.CtTuple t = ct.tuple(dir < 0 ? p.ctDirection : dir);
        switch (key) {
            case EXPIRATION -> r.setU32(dreg, (int) Math.min(0xffff_ffffL, ct.expirationMs(e.now)));
            case L3PROTOCOL -> r.setU8(dreg, ct.l3());
            case PROTOCOL -> r.setU8(dreg, ct.protocol());
            case ZONE -> r.setU32(dreg, ct.zone & 0xffff);
            case PKTS -> putU64(d, o, ct.packets(dir));
            case BYTES -> putU64(d, o, ct.bytes(dir));
            case AVGPKT -> putU64(d, o, ct.avgpkt(dir));
            case SRC, SRC_IP, SRC_IP6 -> addr(d, o, t.isIpv4(), t.srcHi, t.srcLo);
            case DST, DST_IP, DST_IP6 -> addr(d, o, t.isIpv4(), t.dstHi, t.dstLo);
            case PROTO_SRC -> port(d, o, t.srcPort);
            case PROTO_DST -> port(d, o, t.dstPort);
            default -> r.verdict = Verdict.BREAK; // helpers, labels, secmark, events, id: not tracked here
        }
    }

    private static void putU64(byte[] d, int o, long v) {
        for (int i = 0; i < 8; i++) {
            d[o + i] = (byte) (v >>> (8 * i)); // host order, as the kernel's u64 register pair
        }
    }

    /** Network order; an IPv4 address is the register's first four bytes (the tuple keeps it in lo). */
    private static void addr(byte[] d, int o, boolean v4, long hi, long lo) {
        if (v4) {
            int a = (int) lo;
            d[o] = (byte) (a >>> 24);
            d[o + 1] = (byte) (a >>> 16);
            d[o + 2] = (byte) (a >>> 8);
            d[o + 3] = (byte) a;
            return;
        }
        for (int i = 0; i < 8; i++) {
            d[o + i] = (byte) (hi >>> (56 - 8 * i));
            d[o + 8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
    }

    private static void port(byte[] d, int o, int port) {
        d[o] = (byte) (port >>> 8);
        d[o + 1] = (byte) port;
        d[o + 2] = 0;
        d[o + 3] = 0;
    }

    @Override
    public String toString() {
        return "ct load " + key.text + " => reg " + dreg + (dir < 0 ? "" : dir == 0 ? " , dir original" : " , dir reply");
    }
}
