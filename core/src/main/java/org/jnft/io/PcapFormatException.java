package org.jnft.io;

import java.io.IOException;

/**
 * A pcap or pcapng file that cannot be read. The message is {@code FILE: offset N: reason}, FILE being the
 * display name the caller gave and N the byte offset in the file where the problem was found.
 */
public final class PcapFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;
    private final String reason;

    public PcapFormatException(String file, long offset, String reason) {
        super(file + ": offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
        this.reason = reason;
    }

    /** The file's display name, as given to the reader. */
    public String file() {
        return file;
    }

    /** Byte offset of the problem in the file. */
    public long offset() {
        return offset;
    }

    /** The reason alone, without file and offset. */
    public String reason() {
        return reason;
    }
}
