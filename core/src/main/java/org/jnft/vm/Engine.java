package org.jnft.vm;

/** What expressions need from their surroundings: the engine clock, and the hooks of later issues. */
public class Engine {
    /** Engine time in nanoseconds (virtual in replay, monotonic in the daemon). */
    public long now;
    /** Log lines produced by {@code log} statements (nf_log format is done by the pipeline). */
    public LogSink logSink = (prefix, level, p) -> { };

    @FunctionalInterface
    public interface LogSink {
        void log(String prefix, int level, NftPacket p);
    }
}
