package org.jnft.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Hides interfaces from the kernel's own network stack while an AF_PACKET router serves them: an nf_tables
 * table of the netdev family with one ingress chain per interface whose policy is drop. AF_PACKET taps see
 * a frame before the netdev ingress hook does (__netif_receive_skb_core delivers to ptype_all first), so the
 * router still receives everything while the kernel answers nothing (no second ARP reply, no TCP reset for
 * a masqueraded connection's replies). The table is created with NFT_TABLE_F_OWNER: it belongs to this
 * netlink socket, and the kernel deletes it when the socket closes, also when the process dies.
 * {@code nft list ruleset} shows it as {@code table netdev NAME}.
 */
public final class KernelIngressDrop implements AutoCloseable {
    private static final int NETLINK_NETFILTER = 12;
    private static final int NFNL_SUBSYS_NFTABLES = 10;
    private static final int NFNL_MSG_BATCH_BEGIN = 0x10, NFNL_MSG_BATCH_END = 0x11;
    private static final int NFT_MSG_NEWTABLE = 0, NFT_MSG_NEWCHAIN = 3;
    private static final int NLMSG_ERROR = 2;
    private static final int NLM_F_REQUEST = 1, NLM_F_ACK = 4, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;
    private static final int NLA_F_NESTED = 0x8000;
    private static final int NFPROTO_NETDEV = 5, AF_UNSPEC = 0;
    private static final int NFTA_TABLE_NAME = 1, NFTA_TABLE_FLAGS = 2, NFT_TABLE_F_OWNER = 2;
    private static final int NFTA_CHAIN_TABLE = 1, NFTA_CHAIN_NAME = 3, NFTA_CHAIN_HOOK = 4, NFTA_CHAIN_POLICY = 5,
            NFTA_CHAIN_TYPE = 7;
    private static final int NFTA_HOOK_HOOKNUM = 1, NFTA_HOOK_PRIORITY = 2, NFTA_HOOK_DEV = 3;
    private static final int NF_NETDEV_INGRESS = 0, NF_DROP = 0;
    /** Early among netdev ingress chains, so that nothing else of the kernel's runs first. */
    private static final int PRIORITY = -1000;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment err = Libc.newErrnoState(arena);
    private final String table;
    private int fd = -1;

    private KernelIngressDrop(String table) {
        this.table = table;
    }

    /**
     * Creates table {@code netdev TABLE} with a drop chain on each of {@code ifaces} in the calling thread's
     * network namespace; the table lives until {@link #close}.
     *
     * @throws NativeException naming the step (EPERM without CAP_NET_ADMIN, EEXIST when the table exists)
     */
    public static KernelIngressDrop install(String table, List<String> ifaces) throws NativeException {
        KernelIngressDrop k = new KernelIngressDrop(table);
        try {
            k.open();
            k.send(ifaces);
            return k;
        } catch (NativeException | RuntimeException e) {
            k.close();
            throw e;
        }
    }

    public String table() {
        return table;
    }

    private void open() throws NativeException {
        fd = Libc.socket(err, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_NETFILTER);
        if (fd < 0) {
            throw new NativeException("socket(AF_NETLINK, NETLINK_NETFILTER)", Libc.errno(err));
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment nl = a.allocate(12, 4); // struct sockaddr_nl, port chosen by the kernel
            nl.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
            if (Libc.bind(err, fd, nl, 12) != 0) {
                throw new NativeException("bind(NETLINK_NETFILTER)", Libc.errno(err));
            }
        }
    }

    /** One nf_tables transaction: begin, the table, a chain per interface, end; each object acknowledged. */
    private void send(List<String> ifaces) throws NativeException {
        Msg m = new Msg(arena.allocate(8192, 8));
        int seq = (int) (System.nanoTime() & 0x7fffff) << 4;
        m.begin(NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, seq, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
        m.end();
        int first = seq + 1;
        m.begin(nft(NFT_MSG_NEWTABLE), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, first, NFPROTO_NETDEV, 0);
        m.string(NFTA_TABLE_NAME, table);
        m.be32(NFTA_TABLE_FLAGS, NFT_TABLE_F_OWNER);
        m.end();
        int s = first;
        for (String dev : ifaces) {
            m.begin(nft(NFT_MSG_NEWCHAIN), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, ++s, NFPROTO_NETDEV, 0);
            m.string(NFTA_CHAIN_TABLE, table);
            m.string(NFTA_CHAIN_NAME, dev);
            long hook = m.nest(NFTA_CHAIN_HOOK);
            m.be32(NFTA_HOOK_HOOKNUM, NF_NETDEV_INGRESS);
            m.be32(NFTA_HOOK_PRIORITY, PRIORITY);
            m.string(NFTA_HOOK_DEV, dev);
            m.endNest(hook);
            m.be32(NFTA_CHAIN_POLICY, NF_DROP);
            m.string(NFTA_CHAIN_TYPE, "filter");
            m.end();
        }
        m.begin(NFNL_MSG_BATCH_END, NLM_F_REQUEST, s + 1, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
        m.end();
        if (Libc.sendto(err, fd, m.buf, m.pos, 0, MemorySegment.NULL, 0) < 0) {
            throw new NativeException("sendto(nf_tables batch)", Libc.errno(err));
        }
        awaitAcks(m.buf, first, s, ifaces);
    }

    private void awaitAcks(MemorySegment buf, int first, int last, List<String> ifaces) throws NativeException {
        int acked = 0;
        int want = last - first + 1;
        while (acked < want) {
            long n = Libc.recv(err, fd, buf, buf.byteSize(), 0);
            if (n < 0) {
                int e = Libc.errno(err);
                if (e == Errno.EINTR) {
                    continue;
                }
                throw new NativeException("recv(nf_tables)", e);
            }
            for (long off = 0; off + 16 <= n; ) {
                int len = buf.get(JAVA_INT, off);
                if (len < 16 || off + len > n) {
                    break;
                }
                int type = buf.get(JAVA_SHORT, off + 4) & 0xffff;
                int seq = buf.get(JAVA_INT, off + 8);
                if (type == NLMSG_ERROR && seq >= first && seq <= last) {
                    int e = -buf.get(JAVA_INT, off + 16);
                    if (e != 0) {
                        String what = seq == first ? "table netdev " + table
                                : "chain netdev " + table + " " + ifaces.get(seq - first - 1);
                        throw new NativeException("nf_tables add " + what, e);
                    }
                    acked++;
                }
                off += (len + 3) & ~3;
            }
        }
    }

    private static int nft(int msg) {
        return (NFNL_SUBSYS_NFTABLES << 8) | msg;
    }

    /** Closing the socket makes the kernel delete the owned table. Idempotent. */
    @Override
    public void close() {
        if (fd >= 0) {
            Libc.close(err, fd);
            fd = -1;
        }
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    /** A netlink message writer: nlmsghdr + nfgenmsg + attributes, 4-byte aligned. */
    private static final class Msg {
        final MemorySegment buf;
        long pos;
        long start;

        Msg(MemorySegment buf) {
            this.buf = buf;
        }

        void begin(int type, int flags, int seq, int family, int resId) {
            start = pos;
            buf.set(JAVA_SHORT, pos + 4, (short) type);
            buf.set(JAVA_SHORT, pos + 6, (short) flags);
            buf.set(JAVA_INT, pos + 8, seq);
            buf.set(JAVA_INT, pos + 12, 0);
            buf.set(JAVA_BYTE, pos + 16, (byte) family);
            buf.set(JAVA_BYTE, pos + 17, (byte) 0); // NFNETLINK_V0
            buf.set(Libc.BE_SHORT, pos + 18, (short) resId);
            pos += 20;
        }

        void end() {
            buf.set(JAVA_INT, start, (int) (pos - start));
        }

        private void attr(int type, byte[] data) {
            int len = 4 + data.length;
            buf.set(JAVA_SHORT, pos, (short) len);
            buf.set(JAVA_SHORT, pos + 2, (short) type);
            MemorySegment.copy(data, 0, buf, JAVA_BYTE, pos + 4, data.length);
            long next = pos + ((len + 3) & ~3);
            for (long p = pos + len; p < next; p++) {
                buf.set(JAVA_BYTE, p, (byte) 0);
            }
            pos = next;
        }

        void string(int type, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[b.length + 1];
            System.arraycopy(b, 0, z, 0, b.length);
            attr(type, z);
        }

        void be32(int type, int v) {
            attr(type, new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        }

        long nest(int type) {
            long at = pos;
            buf.set(JAVA_SHORT, pos + 2, (short) (type | NLA_F_NESTED));
            pos += 4;
            return at;
        }

        void endNest(long at) {
            buf.set(JAVA_SHORT, at, (short) (pos - at));
        }
    }
}
