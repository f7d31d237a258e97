package org.jnft.vm;

/** {@code flow_offload flowtable NAME}: {@code flow add @NAME}. Offloading itself comes with the flowtable issue. */
public final class FlowOffload implements Expr {
    public final String flowtable;

    public FlowOffload(String flowtable) {
        this.flowtable = flowtable;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        // Without conntrack there is no entry to offload: the kernel's nft_flow_offload_eval then breaks.
        if (!p.ctPresent) r.verdict = Verdict.BREAK;
    }

    @Override
    public String toString() {
        return "flow_offload flowtable " + flowtable;
    }
}
