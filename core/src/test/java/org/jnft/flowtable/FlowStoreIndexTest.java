package org.jnft.flowtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jnft.conntrack.Conntrack;
import org.jnft.conntrack.ConntrackParams;
import org.jnft.conntrack.CtEntry;
import org.junit.jupiter.api.Test;

/**
 * The flow store's index (open addressing, hash tags in the slots, backward-shift deletion, growth): random
 * adds and removes against a map, every direction of every live flow found where it is and nothing else found,
 * the records' fields as written; and the prefetch helpers pointing at the record a lookup will find.
 * Seeded: the seed is in the failure message.
 */
class FlowStoreIndexTest {
    private static final CtEntry CT = new Conntrack(new ConntrackParams())
            .insert(2, 6, 0, 0x0a000001, 0, 0x0a000002, 1, 2, 0, 0);

    record Key(long sh, long sl, long dh, long dl, int ports, int proto, int iif) {}

    @Test
    void ipv4() {
        for (long seed = 1; seed <= 4; seed++) {
            run(false, seed);
        }
    }

    @Test
    void ipv6() {
        for (long seed = 11; seed <= 14; seed++) {
            run(true, seed);
        }
    }

    private void run(boolean v6, long seed) {
        Random r = new Random(seed);
        FlowStore s = new FlowStore(v6, 16, (int) seed);
        Map<Key, Integer> model = new HashMap<>(); // key -> id << 1 | dir
        Map<Integer, Key[]> keys = new HashMap<>();
        List<Integer> live = new ArrayList<>();
        for (int step = 0; step < 30_000; step++) {
            if (live.isEmpty() || r.nextInt(100) < 60) {
                // a flow: few distinct addresses and ports, so that tuples differ in one field only, hashes collide
                Key o = key(v6, r);
                Key back = new Key(o.dh, o.dl, o.sh, o.sl, o.ports >>> 16 | o.ports << 16, o.proto, 3 + r.nextInt(2));
                if (model.containsKey(o) || model.containsKey(back) || o.equals(back)) {
                    continue;
                }
                int id = s.allocate();
                for (int d = 0; d < 2; d++) {
                    Key k = d == 0 ? o : back;
                    if (v6) {
                        s.tuple6(id, d, k.sh, k.sl, k.dh, k.dl);
                        s.nexthop6(id, d, k.dh ^ 1, k.dl ^ 2);
                    } else {
                        s.tuple4(id, d, (int) k.sl, (int) k.dl);
                        s.nexthop4(id, d, (int) k.dl ^ 7);
                    }
                    s.ports(id, d, k.ports >>> 16, k.ports & 0xffff);
                    s.iif(id, d, k.iif);
                    s.oif(id, d, 10 + d);
                    s.mtu(id, d, 1400 + d);
                    s.mac(id, d, d == 0 ? 0x0200_0000_0001L + id : -1);
                }
                s.proto(id, o.proto);
                s.flags(id, FlowStore.F_SNAT);
                s.deadline(id, 1_000_000_000L * id);
                s.fibGeneration(id, id);
                s.link(id, CT);
                model.put(o, id << 1);
                model.put(back, id << 1 | 1);
                keys.put(id, new Key[] {o, back});
                live.add(id);
            } else {
                int id = live.remove(r.nextInt(live.size()));
                s.remove(id);
                for (Key k : keys.remove(id)) {
                    model.remove(k);
                }
            }
            if (step % 997 == 0 || step == 29_999) {
                check(s, model, v6, r, seed);
            }
        }
        assertThat(s.count()).as("seed " + seed).isEqualTo(live.size());
    }

    private static Key key(boolean v6, Random r) {
        long sh = v6 ? 0x2001_0db8_0000_0000L | r.nextInt(3) : 0;
        long sl = v6 ? r.nextInt(8) : 0x0a00_0000 | r.nextInt(8);
        long dh = v6 ? 0x2001_0db8_0100_0000L : 0;
        long dl = v6 ? r.nextInt(8) : 0xc633_6400L | r.nextInt(8);
        int ports = (1024 + r.nextInt(300)) << 16 | (r.nextBoolean() ? 443 : 53);
        int proto = r.nextBoolean() ? 6 : 17;
        return new Key(sh, sl, dh, dl, ports, proto, 2);
    }

    private static int lookup(FlowStore s, boolean v6, Key k) {
        return v6 ? s.lookup6(k.sh, k.sl, k.dh, k.dl, k.ports, k.proto, k.iif)
                : s.lookup4((int) k.sl, (int) k.dl, k.ports, k.proto, k.iif);
    }

    private static void check(FlowStore s, Map<Key, Integer> model, boolean v6, Random r, long seed) {
        int w = s.recInts;
        java.util.Set<Integer> touchable = new java.util.HashSet<>();
        for (int j = 0; j < s.limit(); j++) {
            if (s.ct(j) != null) {
                touchable.add(s.word(j, 0) ^ s.word(j, w / 2) ^ s.word(j, w - 1));
            }
        }
        touchable.add(0); // no tag match within 8 probes (a long chain of colliding home slots)
        int missed = 0;
        for (Map.Entry<Key, Integer> e : model.entrySet()) {
            Key k = e.getKey();
            int ref = e.getValue();
            assertThat(lookup(s, v6, k)).as("seed %d: %s", seed, k).isEqualTo(ref);
            int id = ref >>> 1;
            int d = ref & 1;
            assertThat(s.ct(id)).isSameAs(CT);
            assertThat(s.ports(id, d)).isEqualTo(k.ports);
            assertThat(s.iif(id, d)).isEqualTo(k.iif);
            assertThat(s.oif(id, d)).isEqualTo(10 + d);
            assertThat(s.mtu(id, d)).isEqualTo(1400 + d);
            assertThat(s.mac(id, d)).isEqualTo(d == 0 ? 0x0200_0000_0001L + id : -1);
            assertThat(s.proto(id)).isEqualTo(k.proto);
            assertThat(s.flags(id)).isEqualTo(FlowStore.F_SNAT);
            assertThat(s.deadline(id)).isEqualTo(1_000_000_000L * id);
            assertThat(s.fibGeneration(id)).isEqualTo(id);
            if (v6) {
                assertThat(s.addr6(id, d, 0)).isEqualTo(k.sh);
                assertThat(s.addr6(id, d, 1)).isEqualTo(k.sl);
                assertThat(s.addr6(id, d, 2)).isEqualTo(k.dh);
                assertThat(s.addr6(id, d, 3)).isEqualTo(k.dl);
                assertThat(s.nexthop6(id, d, false)).isEqualTo(k.dh ^ 1);
                assertThat(s.nexthop6(id, d, true)).isEqualTo(k.dl ^ 2);
            } else {
                assertThat(s.src4(id, d)).isEqualTo((int) k.sl);
                assertThat(s.dst4(id, d)).isEqualTo((int) k.dl);
                assertThat(s.nexthop4(id, d)).isEqualTo((int) k.dl ^ 7);
            }
            // the prefetch helpers read the slots and a record of a flow whose tag matches (within 8 probes)
            int h = v6 ? s.hashOf6(k.sh, k.sl, k.dh, k.dl, k.ports, k.proto, k.iif)
                    : s.hashOf4((int) k.sl, (int) k.dl, k.ports, k.proto, k.iif);
            s.slotAt(h);
            int touched = s.touch(h);
            assertThat(touched).as("the first, middle and last words of a live record whose tag matches, or 0")
                    .isIn(touchable);
            missed += touched == 0 ? 1 : 0;
        }
        assertThat(missed).as("lookups the prefetch could not start").isLessThanOrEqualTo(model.size() / 10);
        for (int i = 0; i < 200; i++) {
            Key k = key(v6, r);
            Key other = new Key(k.sh, k.sl, k.dh, k.dl, k.ports, k.proto, 2 + r.nextInt(3));
            assertThat(lookup(s, v6, other)).as("seed %d: %s", seed, other).isEqualTo(model.getOrDefault(other, -1));
        }
    }
}
