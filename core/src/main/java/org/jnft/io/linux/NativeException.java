package org.jnft.io.linux;

import java.io.IOException;

/**
 * A failed system call: the message names the call and the error as strerror(3) prints it, with the
 * symbolic errno, e.g. {@code setsockopt(PACKET_RX_RING): Invalid argument (EINVAL)}.
 */
public final class NativeException extends IOException {
    private final String call;
    private final int errno;

    public NativeException(String call, int errno) {
        super(call + ": " + Libc.strerror(errno) + " (" + Errno.name(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The call as named in the message, e.g. {@code bind(veth0)}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
