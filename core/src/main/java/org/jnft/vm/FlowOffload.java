package org.jnft.vm;

/**
 * {@code flow_offload flowtable NAME}: {@code flow add @NAME} (nft_flow_offload_eval). Whether the packet's
 * connection can be offloaded, and the offloading itself, belong to the pipeline ({@link Engine#flowOffload});
 * when it does not offload, the rule ends here (NFT_BREAK).
 */
public final class FlowOffload implements Expr {
    public final String flowtable;
    /** Index of the flowtable in {@link Ruleset#flowtables}, resolved when the generation is built. */
    public int index = -1;

    public FlowOffload(String flowtable) {
        this.flowtable = flowtable;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        if (!p.ctPresent || e.flowOffload == null || index < 0 || !e.flowOffload.offload(index, p)) {
            r.verdict = Verdict.BREAK;
        }
    }

    @Override
    public String toString() {
        return "flow_offload flowtable " + flowtable;
    }
}
