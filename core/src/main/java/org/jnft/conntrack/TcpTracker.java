package org.jnft.conntrack;

import static org.jnft.conntrack.CtConst.*;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;

/**
 * TCP window tracking and state machine, behaving as Linux's nf_conntrack_proto_tcp.c (a clean-room
 * reimplementation from its documented behaviour): the per-direction state table, the window checks of
 * "Real Stateful TCP Packet Filtering in IP Filter" as Linux applies them, loose pickup, be_liberal,
 * TIME_WAIT/CLOSE reopening, RST checks, RFC 5961 challenge ACKs, the retransmission, RST and
 * unacknowledged-data timeouts, and the ASSURED rule. Static methods over a {@link CtEntry}; no allocation.
 */
final class TcpTracker {
    private TcpTracker() {
    }

    static final int ACCEPT = 1;
    static final int INVALID = -1;
    static final int REPEAT = -2;

    // tcp_in_window results
    private static final int W_IGNORE = 0;
    private static final int W_INVALID = 1;
    private static final int W_ACCEPT = 2;

    // packet classes (enum tcp_bit_set)
    static final int SYN_SET = 0;
    static final int SYNACK_SET = 1;
    static final int FIN_SET = 2;
    static final int ACK_SET = 3;
    static final int RST_SET = 4;
    static final int NONE_SET = 5;

    // per-direction flags (IP_CT_TCP_FLAG_*)
    static final int F_WINDOW_SCALE = 0x01;
    static final int F_SACK_PERM = 0x02;
    static final int F_CLOSE_INIT = 0x04;
    static final int F_BE_LIBERAL = 0x08;
    static final int F_DATA_UNACK = 0x10;
    static final int F_MAXACK_SET = 0x20;
    static final int F_EXP_CHALLENGE_ACK = 0x40;
    static final int F_SIMULTANEOUS_OPEN = 0x80;

    private static final int sNO = TCP_NONE, sSS = TCP_SYN_SENT, sSR = TCP_SYN_RECV, sES = TCP_ESTABLISHED,
            sFW = TCP_FIN_WAIT, sCW = TCP_CLOSE_WAIT, sLA = TCP_LAST_ACK, sTW = TCP_TIME_WAIT, sCL = TCP_CLOSE,
            sS2 = TCP_SYN_SENT2, sIV = 10, sIG = 11;

    /** [dir][index][old state] -> new state; the transitions Linux's tcp_conntracks table defines. */
    private static final byte[][][] TABLE = {
        { // ORIGINAL        sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
            row(/* syn    */ sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2),
            row(/* synack */ sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR),
            row(/* fin    */ sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV),
            row(/* ack    */ sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV),
            row(/* rst    */ sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL),
            row(/* none   */ sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV),
        },
        { // REPLY
            row(/* syn    */ sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2),
            row(/* synack */ sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR),
            row(/* fin    */ sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV),
            row(/* ack    */ sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG),
            row(/* rst    */ sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL),
            row(/* none   */ sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV),
        }
    };

    private static byte[] row(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** Flag combinations Linux accepts (after masking PSH, ECE, CWR): index FIN|SYN|RST|ACK|URG bits. */
    private static final boolean[] VALID_FLAGS = new boolean[0x40];

    static {
        int fin = 0x01, syn = 0x02, rst = 0x04, ack = 0x10, urg = 0x20;
        int[] ok = {syn, syn | urg, syn | ack, rst, rst | ack, fin | ack, fin | ack | urg, ack, ack | urg};
        for (int v : ok) {
            VALID_FLAGS[v] = true;
        }
    }

    static boolean before(int a, int b) {
        return a - b < 0;
    }

    static boolean after(int a, int b) {
        return b - a < 0;
    }

    static int index(int flags) {
        if ((flags & 0x04) != 0) {
            return RST_SET;
        }
        if ((flags & 0x02) != 0) {
            return (flags & 0x10) != 0 ? SYNACK_SET : SYN_SET;
        }
        if ((flags & 0x01) != 0) {
            return FIN_SET;
        }
        if ((flags & 0x10) != 0) {
            return ACK_SET;
        }
        return NONE_SET;
    }

    /** tcp_error's header and flag checks (checksums are the caller's); true when the segment is bad. */
    static boolean malformed(MemorySegment s, int off, int l4len) {
        if (l4len < 20) {
            return true;
        }
        int doff = (Bytes.u8(s, off + 12) >>> 4) * 4;
        if (doff < 20 || l4len < doff) {
            return true;
        }
        int f = Bytes.u8(s, off + 13) & ~(0x40 | 0x80 | 0x08);
        return !VALID_FLAGS[f & 0x3f];
    }

    private static int end(int seq, int payload, int flags) {
        return seq + payload + ((flags & 0x02) != 0 ? 1 : 0) + ((flags & 0x01) != 0 ? 1 : 0);
    }

    // td layout: end[0..1], maxend[2..3], maxwin[4..5], maxack[6..7]; tdf: scale[0..1], flags[2..3]
    private static int flags(CtEntry c, int dir) {
        return c.tdf[2 + dir] & 0xff;
    }

    private static void setFlags(CtEntry c, int dir, int f) {
        c.tdf[2 + dir] = (byte) f;
    }

    /** tcp_options: window scale and SACK-permitted of a SYN into direction {@code dir}'s state. */
    private static void options(MemorySegment s, int off, int doff, CtEntry c, int dir) {
        int length = doff - 20;
        if (length == 0) {
            return;
        }
        c.tdf[dir] = 0;
        setFlags(c, dir, flags(c, dir) & F_BE_LIBERAL);
        int p = off + 20;
        while (length > 0) {
            int kind = Bytes.u8(s, p++);
            if (kind == 0) {
                return;
            }
            if (kind == 1) {
                length--;
                continue;
            }
            if (length < 2) {
                return;
            }
            int size = Bytes.u8(s, p++);
            if (size < 2 || size > length) {
                return;
            }
            if (kind == 4 && size == 2) {
                setFlags(c, dir, flags(c, dir) | F_SACK_PERM);
            } else if (kind == 3 && size == 3) {
                int sc = Bytes.u8(s, p);
                c.tdf[dir] = (byte) Math.min(sc, 14);
                setFlags(c, dir, flags(c, dir) | F_WINDOW_SCALE);
            }
            p += size - 2;
            length -= size;
        }
    }

    /** Window scale / SACK-permitted of a SYN, as a (flags << 8 | scale) pair, without touching state. */
    private static int optionsOf(MemorySegment s, int off, int doff) {
        int length = doff - 20;
        int f = 0;
        int sc = 0;
        int p = off + 20;
        while (length > 0) {
            int kind = Bytes.u8(s, p++);
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                length--;
                continue;
            }
            if (length < 2) {
                break;
            }
            int size = Bytes.u8(s, p++);
            if (size < 2 || size > length) {
                break;
            }
            if (kind == 4 && size == 2) {
                f |= F_SACK_PERM;
            } else if (kind == 3 && size == 3) {
                sc = Math.min(Bytes.u8(s, p), 14);
                f |= F_WINDOW_SCALE;
            }
            p += size - 2;
            length -= size;
        }
        return f << 8 | sc;
    }

    /** tcp_sack: the highest right edge of the SACK blocks, or {@code sack} when none. */
    private static int sack(MemorySegment s, int off, int doff, int sack) {
        int length = doff - 20;
        if (length == 0) {
            return sack;
        }
        int p = off + 20;
        if (length == 12 && Bytes.u32(s, p) == 0x0101080a) {
            return sack;
        }
        while (length > 0) {
            int kind = Bytes.u8(s, p++);
            if (kind == 0) {
                return sack;
            }
            if (kind == 1) {
                length--;
                continue;
            }
            if (length < 2) {
                return sack;
            }
            int size = Bytes.u8(s, p++);
            if (size < 2 || size > length) {
                return sack;
            }
            if (kind == 5 && size >= 10 && (size - 2) % 8 == 0) {
                for (int i = 0; i < size - 2; i += 8) {
                    int right = Bytes.u32(s, p + i + 4);
                    if (after(right, sack)) {
                        sack = right;
                    }
                }
                return sack;
            }
            p += size - 2;
            length -= size;
        }
        return sack;
    }

    private static void initSender(CtEntry c, int dir, MemorySegment s, int off, int doff, int end, int win) {
        c.td[dir] = end;
        c.td[2 + dir] = end;
        c.td[4 + dir] = win == 0 ? 1 : win;
        options(s, off, doff, c, dir);
        int other = 1 - dir;
        if (dir == DIR_REPLY
                && !((flags(c, dir) & F_WINDOW_SCALE) != 0 && (flags(c, other) & F_WINDOW_SCALE) != 0)) {
            c.tdf[dir] = 0;
            c.tdf[other] = 0;
        }
    }

    private static int logInvalid(ConntrackParams p, CtEntry c, int dir, int ret) {
        if ((flags(c, dir) & F_BE_LIBERAL) != 0 || p.tcpBeLiberal) {
            return W_ACCEPT;
        }
        return ret;
    }

    private static int maxAckWindow(CtEntry c, int dir) {
        int w = c.td[4 + dir];
        return Integer.compareUnsigned(w, 66000) > 0 ? w : 66000;
    }

    private static int inWindow(ConntrackParams p, CtEntry c, int dir, int index, MemorySegment s, int off,
                                int doff, int payload, int flags) {
        int rdir = 1 - dir;
        int seq = Bytes.u32(s, off + 4);
        int ack = Bytes.u32(s, off + 8);
        int sack = ack;
        int winRaw = Bytes.u16(s, off + 14);
        int win = winRaw;
        int end = end(seq, payload, flags);
        boolean synF = (flags & 0x02) != 0;
        boolean ackF = (flags & 0x10) != 0;
        boolean rstF = (flags & 0x04) != 0;

        if ((flags(c, rdir) & F_SACK_PERM) != 0) {
            sack = sack(s, off, doff, sack);
        }
        // (NAT sequence adjustment: none without helpers.)

        if (c.td[4 + dir] == 0) {
            if (synF) {
                initSender(c, dir, s, off, doff, end, win);
                if (!ackF) {
                    return W_ACCEPT; // simultaneous open
                }
            } else {
                // mid-connection: use the data from the packet
                c.td[dir] = end;
                int swin = win << c.tdf[dir];
                c.td[4 + dir] = swin == 0 ? 1 : swin;
                c.td[2 + dir] = end + c.td[4 + dir];
                if (c.td[4 + rdir] == 0) {
                    c.td[rdir] = sack;
                    c.td[2 + rdir] = sack;
                } else if (sack == c.td[rdir] + 1) {
                    c.td[rdir]++;
                }
            }
        } else if (synF && after(end, c.td[dir])
                && (c.tcpState == TCP_SYN_SENT || c.tcpState == TCP_SYN_RECV)) {
            initSender(c, dir, s, off, doff, end, win);
            if (dir == DIR_REPLY && !ackF) {
                return W_ACCEPT;
            }
        }

        if (!ackF) {
            ack = sack = c.td[rdir];
        } else if (rstF && ack == 0) {
            ack = sack = c.td[rdir];
        }

        if (rstF && seq == 0 && c.tcpState == TCP_SYN_SENT) {
            seq = end = c.td[dir];
        }

        boolean seqOk = before(seq, c.td[2 + dir] + 1);
        if (!seqOk) {
            int overshot = end - c.td[2 + dir] + 1;
            boolean ackOk = after(sack, c.td[rdir] - maxAckWindow(c, dir) - 1);
            boolean inRecvWin = c.td[4 + rdir] != 0 && after(end, c.td[dir] - c.td[4 + rdir] - 1);
            if (inRecvWin && ackOk && Integer.compareUnsigned(overshot, c.td[4 + rdir]) <= 0
                    && before(sack, c.td[rdir] + 1)) {
                c.td[dir] = end;
                setFlags(c, dir, flags(c, dir) | F_DATA_UNACK);
                return logInvalid(p, c, dir, W_IGNORE);
            }
            return logInvalid(p, c, dir, W_INVALID);
        }
        if (!before(sack, c.td[rdir] + 1)) {
            return logInvalid(p, c, dir, W_INVALID);
        }
        boolean inRecvWin = c.td[4 + rdir] == 0 || after(end, c.td[dir] - c.td[4 + rdir] - 1);
        if (!inRecvWin) {
            return logInvalid(p, c, dir, W_IGNORE);
        }
        if (!after(sack, c.td[rdir] - maxAckWindow(c, dir) - 1)) {
            return logInvalid(p, c, dir, W_IGNORE);
        }

        if (!synF) {
            win <<= c.tdf[dir];
        }
        int swin = win + (sack - ack);
        if (Integer.compareUnsigned(c.td[4 + dir], swin) < 0) {
            c.td[4 + dir] = swin;
        }
        if (after(end, c.td[dir])) {
            c.td[dir] = end;
            setFlags(c, dir, flags(c, dir) | F_DATA_UNACK);
        }
        if (ackF) {
            if ((flags(c, dir) & F_MAXACK_SET) == 0) {
                c.td[6 + dir] = ack;
                setFlags(c, dir, flags(c, dir) | F_MAXACK_SET);
            } else if (after(ack, c.td[6 + dir])) {
                c.td[6 + dir] = ack;
            }
        }
        if (c.td[4 + rdir] != 0 && after(end, c.td[2 + dir])) {
            c.td[4 + rdir] += end - c.td[2 + dir];
        }
        if (after(sack + win, c.td[2 + rdir] - 1)) {
            c.td[2 + rdir] = sack + win;
            if (win == 0) {
                c.td[2 + rdir]++;
            }
        }
        if (ack == c.td[rdir]) {
            setFlags(c, rdir, flags(c, rdir) & ~F_DATA_UNACK);
        }
        if (index == ACK_SET) {
            if (c.lastDir == dir && c.lastSeq == seq && c.lastAck == ack && c.lastEnd == end
                    && c.lastWin == winRaw) {
                if (c.retrans != (byte) 0xff) {
                    c.retrans++;
                }
            } else {
                c.lastDir = (byte) dir;
                c.lastSeq = seq;
                c.lastAck = ack;
                c.lastEnd = end;
                c.lastWin = winRaw;
                c.retrans = 0;
            }
        }
        return W_ACCEPT;
    }

    private static void handleInvalid(ConntrackParams p, CtEntry c, int dir, int index, long now) {
        if ((c.status & IPS_ASSURED) == 0 || (c.status & IPS_FIXED_TIMEOUT) != 0) {
            return;
        }
        if (index != RST_SET && index != FIN_SET) {
            return;
        }
        if (c.lastDir != dir && (c.lastIndex == FIN_SET || c.lastIndex == RST_SET)) {
            long expires = c.timeout - now;
            if (expires < 120 * ConntrackParams.S) {
                return;
            }
            long t = p.tcpTimeouts[ConntrackParams.TCP_UNACK];
            if (expires > t) {
                c.timeout = now + t;
            }
        } else {
            c.lastIndex = (byte) index;
            c.lastDir = (byte) dir;
        }
    }

    /** tcp_new for an unconfirmed entry; false when it cannot start a connection. */
    private static boolean tcpNew(ConntrackParams p, CtEntry c, MemorySegment s, int off, int doff, int payload,
                                  int flags) {
        int ns = TABLE[0][index(flags)][TCP_NONE];
        if (ns >= sIV) {
            return false;
        }
        int seq = Bytes.u32(s, off + 4);
        int win = Bytes.u16(s, off + 14);
        for (int i = 0; i < 8; i++) {
            c.td[i] = 0;
        }
        for (int i = 0; i < 4; i++) {
            c.tdf[i] = 0;
        }
        c.tcpState = 0;
        c.lastDir = 0;
        c.retrans = 0;
        c.lastWscale = 0;
        c.lastFlags = 0;
        c.lastSeq = 0;
        c.lastAck = 0;
        c.lastEnd = 0;
        c.lastWin = 0;
        if (ns == TCP_SYN_SENT) {
            c.td[0] = end(seq, payload, flags);
            c.td[4] = win == 0 ? 1 : win;
            c.td[2] = c.td[0];
            options(s, off, doff, c, 0);
        } else if (!p.tcpLoose) {
            return false;
        } else {
            c.td[0] = end(seq, payload, flags);
            c.td[4] = win == 0 ? 1 : win;
            c.td[2] = c.td[0] + c.td[4];
            setFlags(c, 0, F_SACK_PERM | F_BE_LIBERAL);
            setFlags(c, 1, F_SACK_PERM | F_BE_LIBERAL);
        }
        c.lastIndex = NONE_SET;
        return true;
    }

    private static boolean established(CtEntry c) {
        return c.tcpState == TCP_ESTABLISHED;
    }

    private static boolean canEarlyDrop(CtEntry c) {
        int st = c.tcpState;
        return st == TCP_FIN_WAIT || st == TCP_LAST_ACK || st == TCP_TIME_WAIT || st == TCP_CLOSE
                || st == TCP_CLOSE_WAIT;
    }

    static boolean earlyDroppable(CtEntry c) {
        return canEarlyDrop(c);
    }

    /**
     * nf_conntrack_tcp_packet. Returns {@link #ACCEPT}, {@link #INVALID} or {@link #REPEAT} (the entry was
     * killed to let a new SYN reopen the connection: look up again).
     */
    static int packet(Conntrack t, CtEntry c, MemorySegment s, int off, int l4len, int ctinfo, int skbLen,
                      long now) {
        ConntrackParams p = t.params;
        if (malformed(s, off, l4len)) {
            return INVALID;
        }
        int doff = (Bytes.u8(s, off + 12) >>> 4) * 4;
        int payload = l4len - doff;
        int flags = Bytes.u8(s, off + 13);
        if ((c.status & IPS_CONFIRMED) == 0 && !tcpNew(p, c, s, off, doff, payload, flags)) {
            return INVALID;
        }
        int oldState = c.tcpState;
        int dir = CtConst.dir(ctinfo);
        int index = index(flags);
        int newState = TABLE[dir][index][oldState];
        int ackSeq = Bytes.u32(s, off + 8);
        int seq = Bytes.u32(s, off + 4);

        boolean skipWindow = false;
        switch (newState) {
            case sSS -> {
                if (oldState >= TCP_TIME_WAIT) {
                    if (((flags(c, dir) | flags(c, 1 - dir)) & F_CLOSE_INIT) != 0
                            || (c.lastDir == dir && c.lastIndex == RST_SET)) {
                        t.kill(c); // reopen: delete this connection and look up again
                        return REPEAT;
                    }
                } else {
                    break;
                }
                return ignored(c, s, off, doff, payload, flags, dir, index, oldState, seq, ackSeq);
            }
            case sIG -> {
                if (index == SYNACK_SET && c.lastIndex == SYN_SET && c.lastDir != dir && ackSeq == c.lastEnd) {
                    // SYN/ACK acknowledging a SYN we ignored: resync from the annotated values
                    oldState = TCP_SYN_SENT;
                    newState = TCP_SYN_RECV;
                    int ld = c.lastDir;
                    c.td[ld] = c.lastEnd;
                    c.td[2 + ld] = c.lastEnd;
                    c.td[4 + ld] = c.lastWin == 0 ? 1 : c.lastWin;
                    c.tdf[ld] = c.lastWscale;
                    c.lastFlags &= (byte) ~F_EXP_CHALLENGE_ACK;
                    setFlags(c, ld, c.lastFlags & 0xff);
                    c.td[dir] = 0;
                    c.td[2 + dir] = 0;
                    c.td[4 + dir] = 0;
                    c.td[6 + dir] = 0;
                    c.tdf[dir] = 0;
                    setFlags(c, dir, flags(c, dir) & F_BE_LIBERAL);
                    break;
                }
                return ignored(c, s, off, doff, payload, flags, dir, index, oldState, seq, ackSeq);
            }
            case sIV -> {
                return INVALID;
            }
            case sTW -> {
                if (oldState == TCP_LAST_ACK && index == ACK_SET && c.lastDir != dir && c.lastIndex == SYN_SET
                        && (c.lastFlags & F_EXP_CHALLENGE_ACK) != 0) {
                    c.lastFlags &= (byte) ~F_EXP_CHALLENGE_ACK;
                    return ACCEPT; // RFC 5961 challenge ACK: state unchanged
                }
            }
            case sS2 -> c.lastFlags |= (byte) F_SIMULTANEOUS_OPEN;
            case sSR -> {
                if (dir == DIR_REPLY && index == ACK_SET && (c.lastFlags & F_SIMULTANEOUS_OPEN) != 0) {
                    newState = TCP_ESTABLISHED;
                }
            }
            case sCL -> {
                if (index != RST_SET) {
                    break;
                }
                if (canEarlyDrop(c)) {
                    skipWindow = true;
                    break;
                }
                int rdir = 1 - dir;
                if ((flags(c, rdir) & F_MAXACK_SET) != 0 && c.lastIndex != SYN_SET) {
                    if (seq == 0 && !established(c)) {
                        break; // answer to a SYN we let through
                    }
                    if (before(seq, c.td[6 + rdir]) && !p.tcpIgnoreInvalidRst) {
                        return INVALID;
                    }
                    if (!established(c) || seq == c.td[6 + rdir]) {
                        break;
                    }
                    if (c.lastIndex == ACK_SET && c.lastDir == dir && seq == c.lastEnd) {
                        break; // RST ending a train of data
                    }
                    newState = oldState; // keep state for a possible challenge ACK
                }
                if ((((c.status & IPS_SEEN_REPLY) != 0 && c.lastIndex == SYN_SET)
                        || ((c.status & IPS_ASSURED) == 0 && c.lastIndex == ACK_SET))
                        && ackSeq == c.lastEnd) {
                    skipWindow = true;
                    break;
                }
                if (oldState == TCP_SYN_SENT && c.lastIndex == ACK_SET && c.lastDir == DIR_REPLY
                        && seq == c.lastAck) {
                    skipWindow = true;
                }
            }
            default -> {
            }
        }

        if (!skipWindow) {
            int res = inWindow(p, c, dir, index, s, off, doff, payload, flags);
            if (res == W_IGNORE) {
                return ACCEPT;
            }
            if (res == W_INVALID) {
                handleInvalid(p, c, dir, index, now);
                return INVALID;
            }
        }
        // in window
        c.lastIndex = (byte) index;
        c.lastDir = (byte) dir;
        c.tcpState = (byte) newState;
        if (oldState != newState && newState == TCP_FIN_WAIT) {
            setFlags(c, dir, flags(c, dir) | F_CLOSE_INIT);
        }
        long[] to = p.tcpTimeouts;
        long timeout;
        if ((c.retrans & 0xff) >= p.tcpMaxRetrans && to[newState] > to[ConntrackParams.TCP_RETRANS]) {
            timeout = to[ConntrackParams.TCP_RETRANS];
        } else if (index == RST_SET) {
            timeout = to[TCP_CLOSE];
        } else if (((flags(c, 0) | flags(c, 1)) & F_DATA_UNACK) != 0
                && to[newState] > to[ConntrackParams.TCP_UNACK]) {
            timeout = to[ConntrackParams.TCP_UNACK];
        } else if (c.lastWin == 0 && to[newState] > to[ConntrackParams.TCP_RETRANS]) {
            timeout = to[ConntrackParams.TCP_RETRANS];
        } else {
            timeout = to[newState];
        }

        if ((c.status & IPS_SEEN_REPLY) == 0) {
            if ((flags & 0x04) != 0) {
                t.acct(c, ctinfo, skbLen);
                t.kill(c);
                return ACCEPT;
            }
            if (index == SYN_SET && oldState == TCP_SYN_SENT) {
                return ACCEPT; // SYN retransmit does not renew the timeout
            }
            if (newState == TCP_ESTABLISHED && timeout > to[ConntrackParams.TCP_UNACK]) {
                timeout = to[ConntrackParams.TCP_UNACK];
            }
        } else if ((c.status & IPS_ASSURED) == 0
                && (oldState == TCP_SYN_RECV || oldState == TCP_ESTABLISHED)
                && newState == TCP_ESTABLISHED) {
            c.status |= IPS_ASSURED;
        }
        t.refreshAcct(c, ctinfo, skbLen, timeout, now);
        return ACCEPT;
    }

    /** The "ignored" path: annotate the packet and let it through without touching the state. */
    private static int ignored(CtEntry c, MemorySegment s, int off, int doff, int payload, int flags, int dir,
                               int index, int oldState, int seq, int ackSeq) {
        c.lastIndex = (byte) index;
        c.lastDir = (byte) dir;
        c.lastSeq = seq;
        c.lastEnd = end(seq, payload, flags);
        c.lastWin = Bytes.u16(s, off + 14);
        if (index == SYN_SET && dir == DIR_ORIGINAL) {
            c.lastFlags = 0;
            c.lastWscale = 0;
            int o = optionsOf(s, off, doff);
            if (((o >>> 8) & F_WINDOW_SCALE) != 0) {
                c.lastFlags |= F_WINDOW_SCALE;
                c.lastWscale = (byte) (o & 0xff);
            }
            if (((o >>> 8) & F_SACK_PERM) != 0) {
                c.lastFlags |= F_SACK_PERM;
            }
            if (oldState == TCP_LAST_ACK) {
                c.lastFlags |= (byte) F_EXP_CHALLENGE_ACK;
            }
        }
        if (oldState == TCP_SYN_SENT && index == ACK_SET && dir == DIR_REPLY) {
            c.lastAck = ackSeq;
        }
        return ACCEPT;
    }
}
