package org.jnft.ctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import org.jnft.io.PcapWriter;
import org.jnft.pipeline.Transmitter;
import org.jnft.route.NetDevice;

/** Replay's link layer: what the router transmits on a device goes to that device's pcap, opened on first use. */
final class PcapTransmitter implements Transmitter, AutoCloseable {
    private final AtomicFiles files;
    private final PcapWriter[] writers;

    PcapTransmitter(AtomicFiles files, int maxIfindex) {
        this.files = files;
        this.writers = new PcapWriter[maxIfindex + 1];
    }

    @Override
    public void transmit(NetDevice dev, MemorySegment frame, long offset, int length, long nowNanos) {
        PcapWriter w = writers[dev.ifindex()];
        try {
            if (w == null) {
                w = PcapWriter.create(files.temp(dev.name() + ".pcap"));
                writers[dev.ifindex()] = w;
            }
            w.write(nowNanos, frame, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean sent(int ifindex) {
        return writers[ifindex] != null;
    }

    @Override
    public void close() throws IOException {
        for (PcapWriter w : writers) {
            if (w != null) {
                w.close();
            }
        }
    }
}
