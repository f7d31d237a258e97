package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TimerHeapTest {
    @Test
    void matchesASortedReference() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            TimerHeap h = new TimerHeap(8);
            int n = 64;
            h.grow(n);
            TreeMap<Long, Integer> ref = new TreeMap<>(); // (deadline << 20 | seq) -> id
            long[] key = new long[n];
            java.util.Arrays.fill(key, -1);
            long seq = 0;
            for (int step = 0; step < 5000; step++) {
                int e = rnd.nextInt(n);
                switch (rnd.nextInt(3)) {
                    case 0 -> {
                        long when = rnd.nextInt(50);
                        if (key[e] >= 0) {
                            ref.remove(key[e]);
                        }
                        key[e] = when << 20 | seq++;
                        ref.put(key[e], e);
                        h.arm(e, when);
                    }
                    case 1 -> {
                        if (key[e] >= 0) {
                            ref.remove(key[e]);
                            key[e] = -1;
                        }
                        h.cancel(e);
                    }
                    default -> {
                        if (!ref.isEmpty()) {
                            var first = ref.firstEntry();
                            assertThat(h.peek()).as("seed %d", seed).isEqualTo(first.getValue());
                            assertThat(h.peekDeadline()).isEqualTo(first.getKey() >> 20);
                            ref.remove(first.getKey());
                            key[first.getValue()] = -1;
                            h.cancel(first.getValue());
                        } else {
                            assertThat(h.peek()).isEqualTo(-1);
                        }
                    }
                }
                assertThat(h.size()).isEqualTo(ref.size());
                assertThat(h.armed(e)).isEqualTo(key[e] >= 0);
            }
        }
    }
}
