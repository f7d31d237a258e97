package org.jnft.vm;

/** What expressions need from their surroundings: the engine clock, and the hooks of later issues. */
public class Engine {
    /** Engine time in nanoseconds (virtual in replay, monotonic in the daemon). */
    public long now;
    /** Log lines produced by {@code log} statements (nf_log format is done by the pipeline). */
    /** Carries out nat statements (nft_nat_eval); null where NAT is not available. */
    public NatAction nat;

    /** What a nat statement asks of the router: bind the packet's connection; returns the verdict. */
    @FunctionalInterface
    public interface NatAction {
        int apply(Nat nat, Regs r, NftPacket p);
    }

    /** Carries out {@code flow add @ft}: false when the connection is not offloaded (the rule then breaks). */
    public FlowOffloadAction flowOffload;

    @FunctionalInterface
    public interface FlowOffloadAction {
        boolean offload(int flowtableIndex, NftPacket p);
    }

    public LogSink logSink = (prefix, level, flags, p) -> { };
    /** Set by {@code reject} (NFT_REJECT_* type, code); the pipeline answers after the DROP verdict. -1: none. */
    public int rejectType = -1, rejectCode;

    @FunctionalInterface
    public interface LogSink {
        void log(String prefix, int level, int flags, NftPacket p);
    }
}
