package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;

/**
 * Receives the fragments a refragmenter makes, one at a time: the IP datagram is at
 * {@code [l3, l3 + length)} of {@code seg}, with at least {@link Ipv4Refragmenter#HEADROOM} bytes before
 * {@code l3} for the link-layer header. The bytes are valid only during the call (the refragmenter reuses
 * its buffer for the next fragment): transmit or copy them before returning.
 */
@FunctionalInterface
public interface FragmentSink {
    void emit(MemorySegment seg, long l3, int length);
}
