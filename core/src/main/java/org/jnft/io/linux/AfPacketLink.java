package org.jnft.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A Linux network interface seen through an AF_PACKET socket (SOCK_RAW, ETH_P_ALL) bound to it: a
 * memory-mapped TPACKET_V3 receive ring read in batches without copying, and batched transmission with
 * sendmmsg(2). Frames the host sends on the interface (the router's own included) are not received
 * (PACKET_IGNORE_OUTGOING, and PACKET_OUTGOING frames are skipped should the option be missing).
 *
 * <p><b>GSO/GRO.</b> With {@link Options#vnetHeader} (the default) the socket has PACKET_VNET_HDR: every
 * received frame comes with its {@link VnetHeader} (partial checksum, GSO type and segment size), and
 * every frame sent carries one. A GRO/GSO super-frame (veth delivers TCP frames of up to 64 KiB) is
 * handed over whole, and forwarding it with its header keeps the metadata: the kernel segments it
 * in software on transmit when the output device cannot (or the next device passes it on whole), and
 * completes partial checksums. jnft therefore never segments in software; a pipeline that rewrites such
 * a frame must keep the metadata consistent (IPv4 header checksum in full, the L4 checksum field as a
 * pseudo-header sum when {@link VnetHeader#NEEDS_CSUM} is set) and apply its MTU checks per segment
 * ({@code hdrLen + gsoSize}).
 *
 * <p><b>Threads.</b> A link belongs to one thread at a time (the data-plane thread): {@link #receive} and
 * {@link #send}/{@link #flush} are not thread-safe, and {@link #close} unmaps the ring, so close a link
 * only from that thread or after it stopped (wake it with {@link LinkPoller#wakeup}). Nothing is
 * allocated per frame once running.
 *
 * <p>Errors from the kernel raise {@link NativeException} naming the call, e.g.
 * {@code setsockopt(PACKET_RX_RING): Invalid argument (EINVAL)}; transmit errors on the data path are
 * counted instead ({@link #txDropped()}, {@link #lastTxErrno()}).
 */
public final class AfPacketLink implements AutoCloseable {
    /** Ring geometry and socket options. */
    public record Options(int blockSize, int blockCount, int frameSize, int retireTimeoutMillis,
                          boolean promiscuous, boolean vnetHeader, boolean reinsertVlan, boolean qdiscBypass,
                          int txBatch, int txBufferBytes) {
        /**
         * 256 KiB blocks (three 64 KiB GSO frames, or 27 frames of a 9000-byte MTU, per block), 64 blocks
         * (16 MiB), 2 KiB nominal frames, blocks retired after 1 ms, promiscuous, vnet header, VLAN tags
         * put back into the frame, through the qdisc, up to 64 frames / 2 MiB per sendmmsg.
         */
        public static Options defaults() {
            return new Options(1 << 18, 64, 2048, 1, true, true, true, false, 64, 2 << 20);
        }

        public Options withRing(int blockSize, int blockCount) {
            return new Options(blockSize, blockCount, frameSize, retireTimeoutMillis, promiscuous, vnetHeader,
                    reinsertVlan, qdiscBypass, txBatch, txBufferBytes);
        }

        public Options withVnetHeader(boolean on) {
            return new Options(blockSize, blockCount, frameSize, retireTimeoutMillis, promiscuous, on,
                    reinsertVlan, qdiscBypass, txBatch, txBufferBytes);
        }

        public Options withPromiscuous(boolean on) {
            return new Options(blockSize, blockCount, frameSize, retireTimeoutMillis, on, vnetHeader,
                    reinsertVlan, qdiscBypass, txBatch, txBufferBytes);
        }

        public Options withTx(int batch, int bufferBytes) {
            return new Options(blockSize, blockCount, frameSize, retireTimeoutMillis, promiscuous, vnetHeader,
                    reinsertVlan, qdiscBypass, batch, bufferBytes);
        }

        public Options withRetireTimeout(int millis) {
            return new Options(blockSize, blockCount, frameSize, millis, promiscuous, vnetHeader,
                    reinsertVlan, qdiscBypass, txBatch, txBufferBytes);
        }
    }

    /** Receives the frames of a batch, one call each; see {@link RxFrame} for how long a frame lives. */
    @FunctionalInterface
    public interface FrameHandler {
        void frame(RxFrame frame);
    }

    /** The largest frame {@link #send} accepts: a 64 KiB IP datagram with Ethernet and two VLAN headers. */
    public static final int MAX_FRAME = 65535 + 14 + 8;

    // linux/if_packet.h, linux/if_ether.h, linux/socket.h
    private static final int SOL_PACKET = 263;
    private static final int PACKET_ADD_MEMBERSHIP = 1, PACKET_RX_RING = 5, PACKET_STATISTICS = 6,
            PACKET_VERSION = 10, PACKET_VNET_HDR = 15, PACKET_QDISC_BYPASS = 20, PACKET_IGNORE_OUTGOING = 23;
    private static final int PACKET_MR_PROMISC = 1;
    private static final int TPACKET_V3 = 2;
    private static final int ETH_P_ALL = 0x0003;
    private static final int TP_STATUS_KERNEL = 0, TP_STATUS_USER = 1, TP_STATUS_VLAN_VALID = 0x10,
            TP_STATUS_VLAN_TPID_VALID = 0x40;
    private static final int TPACKET3_HDRLEN = 68;
    // struct tpacket_block_desc / tpacket_hdr_v1
    private static final long BD_STATUS = 8, BD_NUM_PKTS = 12, BD_FIRST = 16;
    // struct tpacket3_hdr, then struct sockaddr_ll at TPACKET_ALIGN(48)
    private static final long H_NEXT = 0, H_SEC = 4, H_NSEC = 8, H_SNAPLEN = 12, H_LEN = 16, H_STATUS = 20,
            H_MAC = 24, H_VLAN_TCI = 32, H_VLAN_TPID = 36, H_SLL_IFINDEX = 48 + 4, H_SLL_PKTTYPE = 48 + 10;
    // struct mmsghdr (64 bytes) = struct msghdr (56) + msg_len; struct iovec (16)
    private static final int MMSG_SIZE = 64, MSG_IOV = 16, MSG_IOVLEN = 24, MMSG_LEN = 56, IOV_SIZE = 16;

    private static final VarHandle BLOCK_STATUS = JAVA_INT.varHandle();
    private static final ValueLayout.OfShort U16 = JAVA_SHORT;

    private final String name;
    private final int ifindex;
    private final Options opt;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment err;
    private final MemorySegment ring;
    private final long ringSize;
    private final int blockSize;
    private final int blockCount;
    private final boolean vnet;
    private final RxFrame frame = new RxFrame();
    private final MemorySegment pollfd;
    private final long pollfdAddress;
    private final MemorySegment statsBuf;
    private final MemorySegment statsLen;
    private int block;
    private boolean closed;

    // transmit
    private final MemorySegment txBuf;
    private final MemorySegment mmsg;
    private final MemorySegment iov;
    private final long mmsgAddress;
    private final int txBatch;
    private int txCount;
    private long txPos;

    private long rxFrames, rxBytes, rxGso, rxTruncated, rxOutgoing;
    private long txFrames, txBytes, txDropped, kernelDrops;
    private int lastTxErrno;
    private int lastError;
    private long socketErrors;
    private final MemorySegment soError;

    private AfPacketLink(String name, int ifindex, Options opt, int fd, MemorySegment ring, long ringSize,
                         MemorySegment err) {
        this.name = name;
        this.ifindex = ifindex;
        this.opt = opt;
        this.fd = fd;
        this.ring = ring;
        this.ringSize = ringSize;
        this.err = err;
        this.blockSize = opt.blockSize();
        this.blockCount = opt.blockCount();
        this.vnet = opt.vnetHeader();
        this.pollfd = arena.allocate(8, 8);
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(U16, 4, (short) Libc.POLLIN);
        this.pollfdAddress = pollfd.address();
        this.statsBuf = arena.allocate(12, 4);
        this.statsLen = arena.allocate(4, 4);
        this.soError = arena.allocate(8, 8);
        this.txBatch = Math.max(1, opt.txBatch());
        this.txBuf = arena.allocate(Math.max(opt.txBufferBytes(), MAX_FRAME + VnetHeader.SIZE + 64), 64);
        this.mmsg = arena.allocate((long) MMSG_SIZE * txBatch, 8);
        this.iov = arena.allocate((long) IOV_SIZE * txBatch, 8);
        this.mmsgAddress = mmsg.address();
        for (int i = 0; i < txBatch; i++) {
            mmsg.set(JAVA_LONG, (long) i * MMSG_SIZE + MSG_IOV, iov.address() + (long) i * IOV_SIZE);
            mmsg.set(JAVA_LONG, (long) i * MMSG_SIZE + MSG_IOVLEN, 1L);
        }
        frame.segment = ring;
        frame.ifindex = ifindex;
    }

    /** Opens {@code name} with {@link Options#defaults()}. */
    public static AfPacketLink open(String name) throws NativeException {
        return open(name, Options.defaults());
    }

    /**
     * Opens an AF_PACKET socket on interface {@code name}: TPACKET_V3, the vnet header if asked,
     * PACKET_IGNORE_OUTGOING, the receive ring mapped, bound with ETH_P_ALL, promiscuous if asked.
     * The socket lives in the network namespace of the calling thread.
     */
    public static AfPacketLink open(String name, Options opt) throws NativeException {
        // The kernel checks the rest (page-aligned blocks, aligned frames) and answers EINVAL.
        if (opt.blockSize() <= 0 || opt.blockCount() < 1 || opt.frameSize() <= 0
                || opt.blockSize() % opt.frameSize() != 0) {
            throw new IllegalArgumentException("bad ring geometry: " + opt);
        }
        int ifindex = Libc.ifIndex(name);
        Arena setup = Arena.ofConfined();
        MemorySegment st = Libc.newErrnoState(Arena.global());
        int fd = -1;
        MemorySegment ring = MemorySegment.NULL;
        long ringSize = (long) opt.blockSize() * opt.blockCount();
        try {
            // protocol 0: nothing is queued before the ring exists; bind() sets ETH_P_ALL.
            fd = Libc.socket(st, Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeException("socket(AF_PACKET, SOCK_RAW)", Libc.errno(st));
            }
            MemorySegment one = setup.allocate(JAVA_INT);
            one.set(JAVA_INT, 0, TPACKET_V3);
            setsockopt(st, fd, PACKET_VERSION, one, "PACKET_VERSION");
            one.set(JAVA_INT, 0, 1);
            if (opt.vnetHeader()) {
                setsockopt(st, fd, PACKET_VNET_HDR, one, "PACKET_VNET_HDR");
            }
            // Linux >= 4.20; without it PACKET_OUTGOING frames are skipped in receive().
            Libc.setsockopt(st, fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, one, 4);
            if (opt.qdiscBypass()) {
                setsockopt(st, fd, PACKET_QDISC_BYPASS, one, "PACKET_QDISC_BYPASS");
            }
            MemorySegment req = setup.allocate(28, 4); // struct tpacket_req3
            req.set(JAVA_INT, 0, opt.blockSize());
            req.set(JAVA_INT, 4, opt.blockCount());
            req.set(JAVA_INT, 8, opt.frameSize());
            req.set(JAVA_INT, 12, opt.blockSize() / opt.frameSize() * opt.blockCount());
            req.set(JAVA_INT, 16, opt.retireTimeoutMillis());
            if (Libc.setsockopt(st, fd, SOL_PACKET, PACKET_RX_RING, req, 28) != 0) {
                throw new NativeException("setsockopt(PACKET_RX_RING)", Libc.errno(st));
            }
            MemorySegment m = Libc.mmap(st, ringSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            if (m.address() == -1L) {
                throw new NativeException("mmap(rx ring, " + ringSize + ")", Libc.errno(st));
            }
            ring = m.reinterpret(ringSize);
            MemorySegment sll = setup.allocate(20, 4); // struct sockaddr_ll
            sll.set(U16, 0, (short) Libc.AF_PACKET);
            sll.set(Libc.BE_SHORT, 2, (short) ETH_P_ALL);
            sll.set(JAVA_INT, 4, ifindex);
            if (Libc.bind(st, fd, sll, 20) != 0) {
                throw new NativeException("bind(" + name + ")", Libc.errno(st));
            }
            if (opt.promiscuous()) {
                MemorySegment mreq = setup.allocate(16, 4); // struct packet_mreq
                mreq.set(JAVA_INT, 0, ifindex);
                mreq.set(U16, 4, (short) PACKET_MR_PROMISC);
                setsockopt(st, fd, PACKET_ADD_MEMBERSHIP, mreq, "PACKET_ADD_MEMBERSHIP");
            }
            return new AfPacketLink(name, ifindex, opt, fd, ring, ringSize, st);
        } catch (NativeException | RuntimeException e) {
            if (ring.address() != 0) {
                Libc.munmap(st, ring, ringSize);
            }
            if (fd >= 0) {
                Libc.close(st, fd);
            }
            throw e;
        } finally {
            setup.close();
        }
    }

    private static void setsockopt(MemorySegment st, int fd, int opt, MemorySegment val, String what)
            throws NativeException {
        if (Libc.setsockopt(st, fd, SOL_PACKET, opt, val, (int) val.byteSize()) != 0) {
            throw new NativeException("setsockopt(" + what + ")", Libc.errno(st));
        }
    }

    public String name() {
        return name;
    }

    public int ifindex() {
        return ifindex;
    }

    public Options options() {
        return opt;
    }

    /** The socket's file descriptor, readable when a ring block is ready (for {@link LinkPoller}). */
    public int fd() {
        return fd;
    }

    /** True when a ring block is ready for {@link #receive} without waiting. */
    public boolean ready() {
        return (statusAcquire(block) & TP_STATUS_USER) != 0;
    }

    private int statusAcquire(int b) {
        return (int) BLOCK_STATUS.getAcquire(ring, (long) b * blockSize + BD_STATUS);
    }

    /**
     * Hands every frame of the ready ring blocks to {@code handler} (at most {@code maxBlocks} blocks),
     * waiting up to {@code timeoutMillis} (0: not at all, -1: forever) when none is ready. Each block goes
     * back to the kernel after its last frame. Returns the number of frames handed over.
     */
    public int receive(FrameHandler handler, int timeoutMillis, int maxBlocks) throws NativeException {
        checkOpen();
        if (!ready()) {
            if (timeoutMillis == 0 || !waitReadable(timeoutMillis)) {
                return 0;
            }
        }
        int frames = 0;
        for (int n = 0; n < maxBlocks; n++) {
            long base = (long) block * blockSize;
            if ((statusAcquire(block) & TP_STATUS_USER) == 0) {
                break;
            }
            int pkts = ring.get(JAVA_INT, base + BD_NUM_PKTS);
            long off = base + ring.get(JAVA_INT, base + BD_FIRST);
            for (int i = 0; i < pkts; i++) {
                int next = ring.get(JAVA_INT, off + H_NEXT);
                if (deliver(off)) {
                    frames++;
                    handler.frame(frame);
                }
                off += next;
            }
            BLOCK_STATUS.setRelease(ring, base + BD_STATUS, TP_STATUS_KERNEL);
            block = block + 1 == blockCount ? 0 : block + 1;
        }
        return frames;
    }

    /** {@link #receive(FrameHandler, int, int)} over at most one ring's worth of blocks. */
    public int receive(FrameHandler handler, int timeoutMillis) throws NativeException {
        return receive(handler, timeoutMillis, blockCount);
    }

    private boolean deliver(long h) {
        int pktType = ring.get(JAVA_BYTE, h + H_SLL_PKTTYPE) & 0xff;
        if (pktType == RxFrame.PACKET_OUTGOING) {
            rxOutgoing++;
            return false;
        }
        int status = ring.get(JAVA_INT, h + H_STATUS);
        int snap = ring.get(JAVA_INT, h + H_SNAPLEN);
        int len = ring.get(JAVA_INT, h + H_LEN);
        long mac = h + (ring.get(U16, h + H_MAC) & 0xffff);
        RxFrame f = frame;
        VnetHeader v = f.vnet;
        if (vnet) {
            long vh = mac - VnetHeader.SIZE;
            v.flags = ring.get(JAVA_BYTE, vh) & 0xff;
            v.gsoType = ring.get(JAVA_BYTE, vh + 1) & 0xff;
            v.hdrLen = ring.get(U16, vh + 2) & 0xffff;
            v.gsoSize = ring.get(U16, vh + 4) & 0xffff;
            v.csumStart = ring.get(U16, vh + 6) & 0xffff;
            v.csumOffset = ring.get(U16, vh + 8) & 0xffff;
            if (v.isGso()) {
                rxGso++;
            }
        }
        f.vlanTci = -1;
        if ((status & TP_STATUS_VLAN_VALID) != 0) {
            int tci = ring.get(JAVA_INT, h + H_VLAN_TCI) & 0xffff;
            f.vlanTci = tci;
            if (opt.reinsertVlan() && snap >= 12 && mac - 4 >= h + TPACKET3_HDRLEN) {
                int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0
                        ? ring.get(U16, h + H_VLAN_TPID) & 0xffff : 0x8100;
                MemorySegment.copy(ring, mac, ring, mac - 4, 12);
                mac -= 4;
                ring.set(Libc.BE_SHORT, mac + 12, (short) tpid);
                ring.set(Libc.BE_SHORT, mac + 14, (short) tci);
                snap += 4;
                len += 4;
                if (v.csumStart != 0 || v.needsChecksum()) {
                    v.csumStart += 4;
                }
                if (v.hdrLen != 0) {
                    v.hdrLen += 4;
                }
            }
        }
        f.offset = mac;
        f.length = snap;
        f.wireLength = len;
        f.pktType = pktType;
        f.timestampNanos = (ring.get(JAVA_INT, h + H_SEC) & 0xffffffffL) * 1_000_000_000L
                + (ring.get(JAVA_INT, h + H_NSEC) & 0xffffffffL);
        rxFrames++;
        rxBytes += snap;
        if (snap < len) {
            rxTruncated++;
        }
        return true;
    }

    /**
     * Reads and clears the socket's pending error, which the kernel sets when the interface goes down
     * (ENETDOWN) and which would otherwise keep poll(2) returning at once (POLLERR); the ring keeps
     * working when the interface comes back. {@link #waitReadable} and {@link LinkPoller} call it.
     * Returns the error, 0 if none.
     */
    public int takeError() {
        int e = Libc.takeSocketError(fd, soError);
        if (e != 0) {
            lastError = e;
            socketErrors++;
        }
        return e;
    }

    /** The last socket error taken ({@link #takeError}), 0 if none. */
    public int lastError() {
        return lastError;
    }

    /** How many socket errors (interface down, ...) were taken. */
    public long socketErrors() {
        return socketErrors;
    }

    /** poll(2) for a ready block; true when one is. */
    public boolean waitReadable(int timeoutMillis) throws NativeException {
        checkOpen();
        int r;
        try {
            r = (int) Libc.POLL_RAW.invokeExact(pollfdAddress, 1L, timeoutMillis);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r < 0 && Libc.poll(err, pollfd, 1, 0) < 0) { // again, capturing errno (EINTR does not repeat)
            int e = Libc.errno(err);
            if (e == Errno.EINTR) {
                return ready();
            }
            throw new NativeException("poll(" + name + ")", e);
        }
        if (r > 0 && (pollfd.get(U16, 6) & Libc.POLLERR) != 0) {
            takeError();
        }
        return ready();
    }

    /**
     * Queues a frame for transmission (copied into the link's transmit buffer) with no checksum or GSO
     * work asked of the kernel. Sent by {@link #flush}, or earlier when the batch is full.
     * Returns false (and counts a drop) for a frame longer than {@link #MAX_FRAME}.
     */
    public boolean send(MemorySegment src, long offset, int length) {
        return send(src, offset, length, 0, 0, 0, 0, 0, 0);
    }

    /** Queues a frame with its vnet header (GSO / partial checksum metadata, as received). */
    public boolean send(MemorySegment src, long offset, int length, VnetHeader h) {
        return send(src, offset, length, h.flags, h.gsoType, h.hdrLen, h.gsoSize, h.csumStart, h.csumOffset);
    }

    /** Queues a received frame unchanged (bytes and metadata) for transmission on this link. */
    public boolean send(RxFrame f) {
        return send(f.segment, f.offset, f.length, f.vnet);
    }

    private boolean send(MemorySegment src, long offset, int length, int flags, int gsoType, int hdrLen,
                         int gsoSize, int csumStart, int csumOffset) {
        checkOpenUnchecked();
        if (length > MAX_FRAME || length < 14) {
            txDropped++;
            return false;
        }
        int need = length + (vnet ? VnetHeader.SIZE : 0);
        if (txCount == txBatch || txPos + need > txBuf.byteSize()) {
            flush();
        }
        long p = txPos;
        if (vnet) {
            txBuf.set(JAVA_BYTE, p, (byte) flags);
            txBuf.set(JAVA_BYTE, p + 1, (byte) gsoType);
            txBuf.set(U16, p + 2, (short) hdrLen);
            txBuf.set(U16, p + 4, (short) gsoSize);
            txBuf.set(U16, p + 6, (short) csumStart);
            txBuf.set(U16, p + 8, (short) csumOffset);
            p += VnetHeader.SIZE;
        }
        MemorySegment.copy(src, offset, txBuf, p, length);
        long io = (long) txCount * IOV_SIZE;
        iov.set(JAVA_LONG, io, txBuf.address() + txPos);
        iov.set(JAVA_LONG, io + 8, (long) need);
        txCount++;
        txBytes += length;
        txPos = (txPos + need + 15) & ~15L;
        return true;
    }

    /** Frames queued and not yet sent. */
    public int pending() {
        return txCount;
    }

    /**
     * Sends the queued frames with sendmmsg(2), non-blocking. A frame the kernel refuses (queue full:
     * ENOBUFS/EAGAIN; link down: ENETDOWN; ...) is dropped and counted, never retried. Returns the number
     * of frames the kernel took.
     */
    public int flush() {
        int n = txCount;
        if (n == 0) {
            return 0;
        }
        int i = 0;
        int sent = 0;
        while (i < n) {
            int r = sendmmsg(mmsgAddress + (long) i * MMSG_SIZE, n - i);
            if (r > 0) {
                i += r;
                sent += r;
                continue;
            }
            // The first message failed: send it alone through the errno-capturing binding (an error path,
            // allocation allowed). A transient refusal may pass this time; else its errno is kept.
            r = Libc.sendmmsg(err, fd, mmsgAddress + (long) i * MMSG_SIZE, 1, Libc.MSG_DONTWAIT);
            if (r == 1) {
                sent++;
            } else if (r < 0 && Libc.errno(err) == Errno.EINTR) {
                continue;
            } else {
                dropQueued(i);
            }
            i++;
        }
        txFrames += sent;
        txCount = 0;
        txPos = 0;
        return sent;
    }

    private int sendmmsg(long vec, int n) {
        try {
            return (int) Libc.SENDMMSG_RAW.invokeExact(fd, vec, n, Libc.MSG_DONTWAIT);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private void dropQueued(int i) {
        lastTxErrno = Libc.errno(err);
        txDropped++;
        txBytes -= iov.get(JAVA_LONG, (long) i * IOV_SIZE + 8) - (vnet ? VnetHeader.SIZE : 0);
    }

    public long rxFrames() {
        return rxFrames;
    }

    public long rxBytes() {
        return rxBytes;
    }

    /** Received GSO/GRO super-frames (vnet gso_type set). */
    public long rxGsoFrames() {
        return rxGso;
    }

    /** Received frames cut short by the ring block size. */
    public long rxTruncated() {
        return rxTruncated;
    }

    /** Outgoing frames the kernel handed over anyway and that were skipped. */
    public long rxOutgoingSkipped() {
        return rxOutgoing;
    }

    public long txFrames() {
        return txFrames;
    }

    public long txBytes() {
        return txBytes;
    }

    /** Frames dropped on transmit (too long, or refused by the kernel). */
    public long txDropped() {
        return txDropped;
    }

    /** The errno of the last refused transmit, 0 if none. */
    public int lastTxErrno() {
        return lastTxErrno;
    }

    /**
     * Frames the kernel dropped because the ring was full, summed since the link was opened
     * (PACKET_STATISTICS; reading it resets the kernel's counters, so read only through here).
     */
    public long kernelDrops() throws NativeException {
        checkOpen();
        statsLen.set(JAVA_INT, 0, 12);
        int r;
        try {
            r = (int) Libc.GETSOCKOPT_RAW.invokeExact(fd, SOL_PACKET, PACKET_STATISTICS, statsBuf.address(),
                    statsLen.address());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r != 0) {
            statsLen.set(JAVA_INT, 0, 12);
        }
        if (r != 0 && Libc.getsockopt(err, fd, SOL_PACKET, PACKET_STATISTICS, statsBuf, statsLen) != 0) {
            throw new NativeException("getsockopt(PACKET_STATISTICS)", Libc.errno(err));
        }
        kernelDrops += statsBuf.get(JAVA_INT, 4) & 0xffffffffL;
        return kernelDrops;
    }

    private void checkOpen() throws NativeException {
        if (closed) {
            throw new NativeException(name + ": link closed", Errno.EBADF);
        }
    }

    private void checkOpenUnchecked() {
        if (closed) {
            throw new IllegalStateException(name + ": link closed");
        }
    }

    /** Sends what is queued, unmaps the ring and closes the socket. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        Libc.munmap(err, ring, ringSize);
        Libc.close(err, fd);
        arena.close();
    }

    @Override
    public String toString() {
        return "AfPacketLink[" + name + " ifindex=" + ifindex + "]";
    }
}
