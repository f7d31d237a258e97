package org.jnft.ctl;

import java.lang.foreign.MemorySegment;
import org.jnft.io.linux.AfPacketLink;
import org.jnft.io.linux.Errno;
import org.jnft.pipeline.DropReason;
import org.jnft.pipeline.Stats;
import org.jnft.pipeline.Transmitter;
import org.jnft.route.NetDevice;

/**
 * The daemon's link layer: a frame the router transmits on a device is queued on that device's AF_PACKET
 * link (a vlan device's on its parent's: the frame already carries the tag) and sent with the rest of the
 * batch by {@link #flush}. Frames the kernel refuses are counted in stats.txt under Linux's reasons:
 * DEV_READY (the interface is down) or QDISC_DROP (its queue is full). Allocates nothing.
 */
final class LiveTransmitter implements Transmitter {
    private final AfPacketLink[] byIfindex;
    private final AfPacketLink[] links;
    private final long[] seenDrops;
    private Stats stats;

    LiveTransmitter(AfPacketLink[] links) {
        this.links = links;
        int max = 0;
        for (AfPacketLink l : links) {
            max = Math.max(max, l.ifindex());
        }
        byIfindex = new AfPacketLink[max + 1];
        for (AfPacketLink l : links) {
            byIfindex[l.ifindex()] = l;
        }
        seenDrops = new long[links.length];
    }

    /** Where transmit drops are counted (the router's, once it exists). */
    void stats(Stats stats) {
        this.stats = stats;
    }

    @Override
    public void transmit(NetDevice dev, MemorySegment frame, long offset, int length, long nowNanos) {
        int i = dev.isVlan() ? dev.parent().ifindex() : dev.ifindex();
        AfPacketLink l = i < byIfindex.length ? byIfindex[i] : null;
        if (l != null) {
            l.send(frame, offset, length);
        }
    }

    /** Sends every queued frame; counts what the kernel refused. */
    void flush() {
        for (int k = 0; k < links.length; k++) {
            AfPacketLink l = links[k];
            if (l.pending() > 0) {
                l.flush();
            }
            long d = l.txDropped();
            if (d != seenDrops[k] && stats != null) {
                int e = l.lastTxErrno();
                DropReason r = e == Errno.ENETDOWN || e == Errno.ENXIO ? DropReason.DEV_READY : DropReason.QDISC_DROP;
                stats.drop(l.ifindex(), r, d - seenDrops[k]);
            }
            seenDrops[k] = d;
        }
    }
}
