package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.route.NetDevice;

/**
 * The link layer below the router: puts one finished Ethernet frame on a device. Implemented by io links
 * (pcap writers in replay, AF_PACKET rings in the daemon); the frame is only valid during the call.
 */
public interface Transmitter {
    void transmit(NetDevice dev, MemorySegment frame, long offset, int length, long nowNanos);
}
