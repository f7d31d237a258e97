package org.jnft.vm;

/** What expressions need from their surroundings: the engine clock, and the hooks of later issues. */
public class Engine {
    /** Engine time in nanoseconds (virtual in replay, monotonic in the daemon). */
    public long now;
    /** Log lines produced by {@code log} statements (nf_log format is done by the pipeline). */
    public LogSink logSink = (prefix, level, flags, p) -> { };
    /** Set by {@code reject} (NFT_REJECT_* type, code); the pipeline answers after the DROP verdict. -1: none. */
    public int rejectType = -1, rejectCode;

    @FunctionalInterface
    public interface LogSink {
        void log(String prefix, int level, int flags, NftPacket p);
    }
}
