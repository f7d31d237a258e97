package org.jnft.vm;

/**
 * One nf_tables VM expression. {@link #toString()} is libnftnl's text form without the brackets
 * (what {@code nft --debug=netlink} prints between {@code [ } and {@code  ]}).
 */
public interface Expr {
    /** Evaluates on {@code p}; sets {@code r.verdict} to BREAK to end the rule, as the kernel. */
    void eval(Regs r, NftPacket p, Engine e);
}
