package org.jnft.route;

/** A NET file that cannot be read or parsed; the message is {@code FILE:LINE: reason}. */
public final class NetFileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String reason;

    /** LINE is 1-based; 0 for problems with the file as a whole (message {@code FILE: reason}). */
    public NetFileException(String file, int line, String reason) {
        super(line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
