package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeighboursTest {
    @Test
    void basic() {
        Neighbours n = new Neighbours();
        assertThat(n.lookup4(2, 0x0a000001)).isEqualTo(Neighbours.NONE);
        n.put4(2, 0x0a000001, 0x0200_0000_0001L);
        n.put4(3, 0x0a000001, 0x0200_0000_0002L);
        assertThat(n.lookup4(2, 0x0a000001)).isEqualTo(0x0200_0000_0001L);
        assertThat(n.lookup4(3, 0x0a000001)).isEqualTo(0x0200_0000_0002L);
        n.put4(2, 0x0a000001, 0x0200_0000_0003L);
        assertThat(n.lookup4(2, 0x0a000001)).isEqualTo(0x0200_0000_0003L);
        assertThat(n.size4()).isEqualTo(2);
        assertThat(n.remove4(2, 0x0a000001)).isTrue();
        assertThat(n.remove4(2, 0x0a000001)).isFalse();
        assertThat(n.lookup4(2, 0x0a000001)).isEqualTo(Neighbours.NONE);
        n.put6(2, -1, -1, 0xffff_ffff_ffffL);
        assertThat(n.lookup6(2, -1, -1)).isEqualTo(0xffff_ffff_ffffL);
        assertThat(n.lookup6(3, -1, -1)).isEqualTo(Neighbours.NONE);
        Neighbours copy = n.copy();
        n.remove6(2, -1, -1);
        assertThat(copy.lookup6(2, -1, -1)).isEqualTo(0xffff_ffff_ffffL);
        assertThat(n.size6()).isZero();
    }

    record K6(int ifx, long hi, long lo) {
    }

    /** Random puts and removes against a HashMap model (exercises growth and backward-shift deletion). */
    @Test
    void matchesModel() {
        long seed = 0x0e1_9b0L;
        Random rnd = new Random(seed);
        Neighbours n = new Neighbours();
        Map<Long, Long> m4 = new HashMap<>();
        Map<K6, Long> m6 = new HashMap<>();
        for (int step = 0; step < 100_000; step++) {
            int ifx = 1 + rnd.nextInt(4);
            int a = rnd.nextInt(300);
            long key = (long) ifx << 32 | a;
            K6 k6 = new K6(ifx, rnd.nextInt(3), a);
            long mac = rnd.nextLong() & 0xffff_ffff_ffffL;
            switch (rnd.nextInt(6)) {
                case 0, 1 -> {
                    n.put4(ifx, a, mac);
                    m4.put(key, mac);
                }
                case 2 -> assertThat(n.remove4(ifx, a)).as("seed %x step %d", seed, step)
                        .isEqualTo(m4.remove(key) != null);
                case 3 -> {
                    n.put6(k6.ifx(), k6.hi(), k6.lo(), mac);
                    m6.put(k6, mac);
                }
                case 4 -> assertThat(n.remove6(k6.ifx(), k6.hi(), k6.lo())).isEqualTo(m6.remove(k6) != null);
                default -> {
                }
            }
            assertThat(n.lookup4(ifx, a)).as("seed %x step %d", seed, step).isEqualTo(m4.getOrDefault(key, -1L));
            assertThat(n.lookup6(k6.ifx(), k6.hi(), k6.lo())).isEqualTo(m6.getOrDefault(k6, -1L));
            if (step % 10_000 == 0) {
                for (Map.Entry<Long, Long> e : m4.entrySet()) {
                    assertThat(n.lookup4((int) (e.getKey() >>> 32), (int) (long) e.getKey())).isEqualTo(e.getValue());
                }
                for (Map.Entry<K6, Long> e : m6.entrySet()) {
                    assertThat(n.lookup6(e.getKey().ifx(), e.getKey().hi(), e.getKey().lo())).isEqualTo(e.getValue());
                }
            }
        }
        assertThat(n.size4()).isEqualTo(m4.size());
        assertThat(n.size6()).isEqualTo(m6.size());
        assertThat(List.of(n.size4(), n.size6())).allMatch(s -> s > 0);
    }
}
