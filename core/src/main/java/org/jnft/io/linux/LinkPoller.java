package org.jnft.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Waits on several descriptors at once with poll(2): the data-plane thread's one blocking point. Register
 * links ({@link AfPacketLink#fd()}) and netlink sockets ({@link RtNetlink#fd()}); {@link #wakeup} (any
 * thread: a signal handler, the control plane) interrupts a wait through an eventfd. Polling allocates
 * nothing.
 */
public final class LinkPoller implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment err = Libc.newErrnoState(arena);
    private final MemorySegment wakeErr = Libc.newErrnoState(arena);
    private final MemorySegment fds;
    private final MemorySegment word = arena.allocate(8, 8);
    private final MemorySegment wakeWord = arena.allocate(8, 8);
    private final int capacity;
    private final MemorySegment soError = arena.allocate(8, 8);
    private final int[] errors;
    private final int eventFd;
    private int count;
    private volatile boolean closed;

    /** Room for {@code capacity} descriptors besides the wake-up eventfd. */
    public LinkPoller(int capacity) throws NativeException {
        this.capacity = capacity;
        this.fds = arena.allocate(8L * (capacity + 1), 8);
        this.errors = new int[capacity];
        eventFd = Libc.eventfd(err, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (eventFd < 0) {
            int e = Libc.errno(err);
            arena.close();
            throw new NativeException("eventfd", e);
        }
        set(0, eventFd);
        count = 1;
        wakeWord.set(JAVA_LONG, 0, 1L);
    }

    private void set(int slot, int fd) {
        fds.set(JAVA_INT, 8L * slot, fd);
        fds.set(JAVA_SHORT, 8L * slot + 4, (short) Libc.POLLIN);
        fds.set(JAVA_SHORT, 8L * slot + 6, (short) 0);
    }

    /** Registers a descriptor for POLLIN; returns its slot for {@link #ready(int)}. */
    public int add(int fd) {
        if (count == capacity + 1) {
            throw new IllegalStateException("poller full (" + capacity + ")");
        }
        set(count, fd);
        return count++ - 1;
    }

    public int add(AfPacketLink link) {
        return add(link.fd());
    }

    public int add(RtNetlink netlink) {
        return add(netlink.fd());
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever, 0: not at all) until a descriptor is readable or
     * {@link #wakeup} is called. Returns the number of readable registered descriptors (0 on timeout or
     * wake-up).
     */
    public int poll(int timeoutMillis) throws NativeException {
        for (int i = 0; i < count; i++) {
            fds.set(JAVA_SHORT, 8L * i + 6, (short) 0);
        }
        int r;
        try {
            r = (int) Libc.POLL_RAW.invokeExact(fds.address(), (long) count, timeoutMillis);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r < 0) {
            if (Libc.poll(err, fds, count, 0) >= 0) { // again, capturing errno: EINTR does not repeat
                return 0;
            }
            throw new NativeException("poll", Libc.errno(err));
        }
        if (r > 0 && fds.get(JAVA_SHORT, 6) != 0) {
            Libc.read(err, eventFd, word, 8);
            r--;
        }
        for (int i = 1; r > 0 && i < count; i++) {
            if ((fds.get(JAVA_SHORT, 8L * i + 6) & Libc.POLLERR) != 0) {
                int e = Libc.takeSocketError(fds.get(JAVA_INT, 8L * i), soError);
                if (e != 0) {
                    errors[i - 1] = e;
                }
            }
        }
        return r;
    }

    /** Whether slot's descriptor was reported readable (or in error) by the last {@link #poll}. */
    public boolean ready(int slot) {
        return fds.get(JAVA_SHORT, 8L * (slot + 1) + 6) != 0;
    }

    /**
     * The socket error a {@link #poll} found and cleared on slot's descriptor since the last call (0 if
     * none), and forgets it. Polling clears such errors (SO_ERROR), else poll(2) would keep returning at
     * once: ENETDOWN on a link whose interface went down (the link works again once it is up), ENOBUFS
     * on a netlink socket whose notifications overflowed (dump again).
     */
    public int takeError(int slot) {
        int e = errors[slot];
        errors[slot] = 0;
        return e;
    }

    /** Makes a {@link #poll} in progress (or the next one) return at once. Thread-safe. */
    public void wakeup() {
        if (!closed) {
            synchronized (wakeWord) {
                Libc.write(wakeErr, eventFd, wakeWord, 8);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            synchronized (wakeWord) {
                Libc.close(err, eventFd);
            }
            arena.close();
        }
    }
}
