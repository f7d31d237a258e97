package org.jnft.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rough figure, printed, not a benchmark: 60-byte frames sent by one link as fast as sendmmsg takes
 * them (batches of 64) for one second, received by the link on the veth peer in another thread.
 * Frames veth or the ring drop are the difference.
 */
class AfPacketThroughputTest {
    @Test
    void smallFramesPerSecondThroughAVethPair() throws Exception {
        try (Netns nets = new Netns()) {
            String ns = nets.add("tput");
            nets.ip(ns, "link add v0 type veth peer name v1");
            nets.ip(ns, "link set v0 up");
            nets.ip(ns, "link set v1 up");
            try (AfPacketLink rx = nets.in(ns, () -> AfPacketLink.open("v0"));
                 AfPacketLink tx = nets.in(ns, () -> AfPacketLink.open("v1"));
                 Arena arena = Arena.ofConfined()) {
                AfPacketLinkTest.Counter counter = new AfPacketLinkTest.Counter();
                AtomicBoolean stop = new AtomicBoolean();
                Thread receiver = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            rx.receive(counter, 10);
                        }
                    } catch (NativeException e) {
                        throw new RuntimeException(e);
                    }
                }, "jnftio-rx");
                receiver.start();
                MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, AfPacketLinkTest.frame(0, 60));
                long t0 = System.nanoTime();
                long end = t0 + 1_000_000_000L;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 64; i++) {
                        tx.send(buf, 0, 60);
                    }
                    tx.flush();
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                Thread.sleep(50);
                stop.set(true);
                receiver.join();
                long sent = tx.txFrames();
                System.out.printf("jnftio: veth, 60-byte frames: tx %.0f frames/s (sendmmsg, 64 a call), rx %.0f frames/s"
                                + " (TPACKET_V3), %d sent, %d received, %d dropped by the ring, %d refused on tx%n",
                        sent / secs, counter.frames / secs, sent, counter.frames, rx.kernelDrops(), tx.txDropped());
                assertThat(counter.frames).isGreaterThan(10_000);
            }
        }
    }
}
