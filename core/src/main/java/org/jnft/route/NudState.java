package org.jnft.route;

/**
 * Neighbour Unreachability Detection states, with Linux's values (include/uapi/linux/neighbour.h), as bit
 * flags so that the masks below work as the kernel's do. Plain {@code int} constants: the table stores a
 * state per entry in an {@code int[]} and the data plane never allocates.
 */
public final class NudState {
    public static final int NONE = 0x00;
    public static final int INCOMPLETE = 0x01;
    public static final int REACHABLE = 0x02;
    public static final int STALE = 0x04;
    public static final int DELAY = 0x08;
    public static final int PROBE = 0x10;
    public static final int FAILED = 0x20;
    public static final int NOARP = 0x40;
    public static final int PERMANENT = 0x80;

    /** States with a running timer (NUD_IN_TIMER). */
    public static final int IN_TIMER = INCOMPLETE | REACHABLE | DELAY | PROBE;
    /** States with a usable link-layer address (NUD_VALID). */
    public static final int VALID = PERMANENT | NOARP | REACHABLE | PROBE | STALE | DELAY;
    /** States whose address is known good (NUD_CONNECTED). */
    public static final int CONNECTED = PERMANENT | NOARP | REACHABLE;

    private NudState() {
    }

    /** The name {@code ip neigh show} prints for STATE. */
    public static String name(int state) {
        return switch (state) {
            case NONE -> "NONE";
            case INCOMPLETE -> "INCOMPLETE";
            case REACHABLE -> "REACHABLE";
            case STALE -> "STALE";
            case DELAY -> "DELAY";
            case PROBE -> "PROBE";
            case FAILED -> "FAILED";
            case NOARP -> "NOARP";
            case PERMANENT -> "PERMANENT";
            default -> "0x" + Integer.toHexString(state);
        };
    }
}
