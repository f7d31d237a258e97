package org.jnft.vm;

/** {@code meta load KEY => reg R}. */
public final class MetaLoad implements Expr {
    public final MetaKey key;
    public final int dreg;

    public MetaLoad(MetaKey key, int dreg) {
        this.key = key;
        this.dreg = dreg;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        switch (key) {
            case LEN -> r.setU32(dreg, p.frameLength - Math.max(0, p.networkOffset));
            case PROTOCOL -> r.setU32(dreg, p.protocol != 0 ? Integer.reverseBytes(p.protocol) >>> 16
                    : p.networkOffset < 0 ? 0
                    : (p.nfproto == NftPacket.NFPROTO_IPV6 ? 0xdd86 : p.nfproto == NftPacket.NFPROTO_IPV4 ? 0x0008 : 0));
            case MARK -> r.setU32(dreg, p.mark);
            case PRIORITY -> r.setU32(dreg, p.priority);
            case IIF -> { if (p.iif == 0) r.verdict = Verdict.BREAK; else r.setU32(dreg, p.iif); }
            case OIF -> { if (p.oif == 0) r.verdict = Verdict.BREAK; else r.setU32(dreg, p.oif); }
            case IIFNAME -> name(r, p.iif, p.iifNameBytes);
            case OIFNAME -> name(r, p.oif, p.oifNameBytes);
            case IIFTYPE -> { if (p.iif == 0) r.verdict = Verdict.BREAK; else r.setU32(dreg, p.iifType & 0xffff); }
            case OIFTYPE -> { if (p.oif == 0) r.verdict = Verdict.BREAK; else r.setU32(dreg, p.oifType & 0xffff); }
            case NFPROTO -> r.setU8(dreg, p.nfproto);
            case L4PROTO -> { if (p.l4proto < 0) r.verdict = Verdict.BREAK; else r.setU8(dreg, p.l4proto); }
            case PKTTYPE -> r.setU8(dreg, p.pkttype);
            case TIME_NS -> {
                // 64-bit nanoseconds, host order (little-endian), as the kernel stores it.
                int o = Regs.offset(dreg);
                for (int i = 0; i < 8; i++) r.data[o + i] = (byte) (p.timestampNanos >>> (8 * i));
            }
            case CPU, IIFGROUP, OIFGROUP, SECMARK -> r.setU32(dreg, 0); // one CPU, default device group
            // skuid, skgid, cgroup need a local socket and rtclassid a route: they break, as for forwarded packets.
            case PRANDOM -> r.setU32(dreg, (int) (p.timestampNanos * 0x9E3779B97F4A7C15L >>> 32));
            default -> r.verdict = Verdict.BREAK;
        }
    }

    private void name(Regs r, int ifindex, byte[] name) {
        if (ifindex == 0) {
            r.verdict = Verdict.BREAK;
            return;
        }
        System.arraycopy(name, 0, r.data, Regs.offset(dreg), 16);
    }

    @Override
    public String toString() {
        return "meta load " + key.text + " => reg " + dreg;
    }
}
