package org.jnft.vm;

/**
 * {@code nat snat|dnat ip|ip6 addr_min reg R [addr_max reg R] [proto_min reg R] [proto_max reg R] [flags F]},
 * also masquerade ({@code masq}) and redirect ({@code redir}). Registers 0 mean absent. NAT acts with issue 4.
 */
public final class Nat implements Expr {
    public enum Kind { SNAT, DNAT, MASQ, REDIR }

    public static final int RANGE_MAP_IPS = 0x1, RANGE_PROTO_SPECIFIED = 0x2, RANGE_PROTO_RANDOM = 0x4,
            RANGE_PERSISTENT = 0x8, RANGE_PROTO_RANDOM_FULLY = 0x10;
    public final Kind kind;
    public final int family, addrMin, addrMax, protoMin, protoMax, flags;

    public Nat(Kind kind, int family, int addrMin, int addrMax, int protoMin, int protoMax, int flags) {
        this.kind = kind;
        this.family = family;
        this.addrMin = addrMin;
        this.addrMax = addrMax;
        this.protoMin = protoMin;
        this.protoMax = protoMax;
        this.flags = flags;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        // nft_nat_eval: the verdict is nf_nat_setup_info's (accept, or drop when no tuple could be had)
        r.verdict = e.nat == null ? Verdict.ACCEPT : e.nat.apply(this, r, p);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        switch (kind) {
            case MASQ -> sb.append("masq");
            case REDIR -> sb.append("redir");
            default -> sb.append("nat ").append(kind == Kind.SNAT ? "snat" : "dnat").append(family == 10 ? " ip6" : " ip");
        }
        if (addrMin != 0) sb.append(" addr_min reg ").append(addrMin);
        if (addrMax != 0) sb.append(" addr_max reg ").append(addrMax);
        if (protoMin != 0) sb.append(" proto_min reg ").append(protoMin);
        if (protoMax != 0) sb.append(" proto_max reg ").append(protoMax);
        if (flags != 0) sb.append(" flags 0x").append(Integer.toHexString(flags));
        return sb.toString();
    }
}
