package org.jnft.vm;

/** Verdict codes, as the kernel's (NF_DROP, NF_ACCEPT and the NFT_* pseudo-verdicts). */
public final class Verdict {
    private Verdict() {}

    public static final int DROP = 0;
    public static final int ACCEPT = 1;
    public static final int QUEUE = 3;
    public static final int CONTINUE = -1;
    public static final int BREAK = -2;
    public static final int JUMP = -3;
    public static final int GOTO = -4;
    public static final int RETURN = -5;

    public static String name(int code) {
        return switch (code) {
            case DROP -> "drop";
            case ACCEPT -> "accept";
            case QUEUE -> "queue";
            case CONTINUE -> "continue";
            case BREAK -> "break";
            case JUMP -> "jump";
            case GOTO -> "goto";
            case RETURN -> "return";
            default -> "unknown";
        };
    }
}
