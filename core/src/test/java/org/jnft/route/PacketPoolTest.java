package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class PacketPoolTest {
    @Test
    void sizeClassesReuseAndBudget() {
        PacketPool pool = new PacketPool(8192, 0);
        MemorySegment src = MemorySegment.ofArray(new byte[5000]);
        src.set(ValueLayout.JAVA_BYTE, 10, (byte) 42);
        int a = pool.copyOf(src, 10, 100);
        assertThat(pool.get(a).capacity()).isEqualTo(256);
        assertThat(pool.get(a).offset()).isEqualTo(PacketPool.HEADROOM);
        assertThat(pool.get(a).length()).isEqualTo(100);
        assertThat(pool.get(a).segment().get(ValueLayout.JAVA_BYTE, PacketPool.HEADROOM)).isEqualTo((byte) 42);
        int b = pool.acquire(1500);
        assertThat(pool.get(b).capacity()).isEqualTo(2048);
        int c = pool.acquire(4000);
        assertThat(pool.get(c).capacity()).isEqualTo(4096);
        assertThat(pool.acquire(1500)).as("over budget").isEqualTo(-1);
        pool.release(b);
        assertThat(pool.acquire(1000)).as("reused from its class").isEqualTo(b);
        assertThat(pool.inUse()).isEqualTo(3);
        assertThat(pool.acquire(PacketPool.maxPacket() + 1)).isEqualTo(-1);
        assertThat(pool.createdBytes()).isEqualTo(256 + 2048 + 4096);
    }
}
