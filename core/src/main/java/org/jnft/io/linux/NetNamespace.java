package org.jnft.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Callable;

/**
 * Runs code in another network namespace on the calling thread (setns(2) with CLONE_NEWNET affects only
 * that thread). Sockets keep the namespace they were created in, so links and netlink sockets opened
 * inside {@link #call} keep working in it from any thread afterwards; so does reading /proc/sys/net
 * inside it. Named namespaces are those of {@code ip netns} (/run/netns/NAME).
 */
public final class NetNamespace {
    private NetNamespace() {
    }

    /** Runs {@code body} in namespace {@code name} (/run/netns/NAME, or a path) and comes back. */
    public static <T> T call(String name, Callable<T> body) throws Exception {
        String path = name.indexOf('/') >= 0 ? name : "/run/netns/" + name;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.newErrnoState(a);
            int self = Libc.open(st, a.allocateFrom("/proc/thread-self/ns/net"), Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (self < 0) {
                throw new NativeException("open(/proc/thread-self/ns/net)", Libc.errno(st));
            }
            try {
                int target = Libc.open(st, a.allocateFrom(path), Libc.O_RDONLY | Libc.O_CLOEXEC);
                if (target < 0) {
                    throw new NativeException("open(" + path + ")", Libc.errno(st));
                }
                try {
                    if (Libc.setns(st, target, Libc.CLONE_NEWNET) != 0) {
                        throw new NativeException("setns(" + path + ")", Libc.errno(st));
                    }
                } finally {
                    Libc.close(st, target);
                }
                try {
                    return body.call();
                } finally {
                    if (Libc.setns(st, self, Libc.CLONE_NEWNET) != 0) {
                        throw new NativeException("setns(back)", Libc.errno(st));
                    }
                }
            } finally {
                Libc.close(st, self);
            }
        }
    }
}
