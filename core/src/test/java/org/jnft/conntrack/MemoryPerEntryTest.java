package org.jnft.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import org.jnft.packet.IpProto;
import org.junit.jupiter.api.Test;

/** Bytes of heap per entry (entry, two tuples, arrays, table slots), measured; Linux's nf_conn is ~300. */
class MemoryPerEntryTest {

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void bytesPerEntry() {
        int n = 100_000;
        ConntrackParams p = new ConntrackParams().set("net.netfilter.nf_conntrack_buckets", n)
                .set("net.netfilter.nf_conntrack_max", n);
        long before = used();
        Conntrack ct = new Conntrack(p);
        for (int i = 0; i < n; i++) {
            CtEntry e = ct.insert(CtConst.NFPROTO_IPV4, IpProto.TCP, 0, 0x0a000000L + i, 0, 0xc6336414L,
                    1024 + (i & 0x7fff), 443, 0, 0);
            assertThat(e).isNotNull();
        }
        long after = used();
        long perEntry = (after - before) / n;
        assertThat(ct.size()).isEqualTo(n);
        assertThat(perEntry).as("bytes per entry").isBetween(100L, 700L);
        assertThat(ct.findV4(IpProto.TCP, 0x0a000005, 0xc6336414, 1029, 443, 0, 1)).isNotNull();
    }
}
