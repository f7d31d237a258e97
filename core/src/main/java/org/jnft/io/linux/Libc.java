package org.jnft.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc functions the Linux links need, bound through java.lang.foreign. Every binding that can
 * fail captures errno ({@code Linker.Option.captureCallState("errno")}): the first argument of those
 * methods is a capture segment from {@link #newErrnoState(Arena)}, read back with {@link #errno}.
 * Package-private: only org.jnft.io.linux calls native code.
 */
final class Libc {
    static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16, AF_PACKET = 17;
    static final int SOCK_RAW = 3, SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    static final int SOL_SOCKET = 1, SO_ERROR = 4, SO_RCVBUF = 8, SO_SNDBUF = 7, SO_RCVBUFFORCE = 33;
    static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, MAP_LOCKED = 0x2000;
    static final int POLLIN = 1, POLLOUT = 4, POLLERR = 8;
    static final int MSG_DONTWAIT = 0x40;
    static final int O_RDONLY = 0, O_CLOEXEC = 02000000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int EFD_NONBLOCK = 04000, EFD_CLOEXEC = 02000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MemoryLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VH = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // The data path's calls without errno capture and with raw addresses: a capturing downcall slices its
    // capture segment on every call (40 bytes) unless C2 inlines the whole chain, which it does not always
    // do (inlining depth). The data path calls these first and, only when one fails, repeats the call
    // through the capturing binding to learn errno (see AfPacketLink and LinkPoller).
    static final MethodHandle POLL_RAW = LINKER.downcallHandle(LIBC.find("poll").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    static final MethodHandle SENDMMSG_RAW = LINKER.downcallHandle(LIBC.find("sendmmsg").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    static final MethodHandle GETSOCKOPT_RAW = LINKER.downcallHandle(LIBC.find("getsockopt").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = bind("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle MMAP = bind("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SENDMMSG = bind("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    private static final MethodHandle SENDTO = bind("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = bind("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle IF_NAMETOINDEX = bind("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SETNS = bind("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LIBC.find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    /**
     * Reads and clears a socket's pending error (getsockopt SO_ERROR) without allocating; {@code scratch}
     * holds 8 bytes. Returns the error, 0 when none (or when the call itself fails).
     */
    static int takeSocketError(int fd, MemorySegment scratch) {
        scratch.set(JAVA_INT, 0, 0);
        scratch.set(JAVA_INT, 4, 4);
        try {
            int r = (int) GETSOCKOPT_RAW.invokeExact(fd, SOL_SOCKET, SO_ERROR, scratch.address(), scratch.address() + 4);
            return r == 0 ? scratch.get(JAVA_INT, 0) : 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd, ERRNO);
    }

    /** A segment to capture errno into; one per thread of use. */
    static MemorySegment newErrnoState(Arena arena) {
        return arena.allocate(STATE);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO_VH.get(state, 0L);
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    static int socket(MemorySegment st, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(st, domain, type, protocol);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int bind(MemorySegment st, int fd, MemorySegment addr, int len) {
        try {
            return (int) BIND.invokeExact(st, fd, addr, len);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int setsockopt(MemorySegment st, int fd, int level, int name, MemorySegment val, int len) {
        try {
            return (int) SETSOCKOPT.invokeExact(st, fd, level, name, val, len);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int getsockopt(MemorySegment st, int fd, int level, int name, MemorySegment val, MemorySegment len) {
        try {
            return (int) GETSOCKOPT.invokeExact(st, fd, level, name, val, len);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static MemorySegment mmap(MemorySegment st, long length, int prot, int flags, int fd, long offset) {
        try {
            return (MemorySegment) MMAP.invokeExact(st, MemorySegment.NULL, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int munmap(MemorySegment st, MemorySegment addr, long length) {
        try {
            return (int) MUNMAP.invokeExact(st, addr, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int close(MemorySegment st, int fd) {
        try {
            return (int) CLOSE.invokeExact(st, fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int poll(MemorySegment st, MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(st, fds, nfds, timeoutMillis);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** sendmmsg(2) with the vector given as a raw address (no segment slice on the data path). */
    static int sendmmsg(MemorySegment st, int fd, long msgvec, int vlen, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(st, fd, msgvec, vlen, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long sendto(MemorySegment st, int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int alen) {
        try {
            return (long) SENDTO.invokeExact(st, fd, buf, len, flags, addr, alen);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long recv(MemorySegment st, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) RECV.invokeExact(st, fd, buf, len, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long read(MemorySegment st, int fd, MemorySegment buf, long len) {
        try {
            return (long) READ.invokeExact(st, fd, buf, len);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long write(MemorySegment st, int fd, MemorySegment buf, long len) {
        try {
            return (long) WRITE.invokeExact(st, fd, buf, len);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int ifNameToIndex(MemorySegment st, MemorySegment name) {
        try {
            return (int) IF_NAMETOINDEX.invokeExact(st, name);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int setns(MemorySegment st, int fd, int nstype) {
        try {
            return (int) SETNS.invokeExact(st, fd, nstype);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int eventfd(MemorySegment st, int initval, int flags) {
        try {
            return (int) EVENTFD.invokeExact(st, initval, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int open(MemorySegment st, MemorySegment path, int flags) {
        try {
            return (int) OPEN.invokeExact(st, path, flags, 0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** if_nametoindex(3), throwing {@code if_nametoindex(NAME): No such device (ENODEV)}. */
    static int ifIndex(String name) throws NativeException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = newErrnoState(a);
            int idx = ifNameToIndex(st, a.allocateFrom(name));
            if (idx == 0) {
                throw new NativeException("if_nametoindex(" + name + ")", errno(st));
            }
            return idx;
        }
    }

    static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
}
