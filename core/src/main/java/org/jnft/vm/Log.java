package org.jnft.vm;

/** {@code log [prefix P] [group G snaplen S qthreshold 0] [level L] [flags...]}: handed to the engine's log sink. */
public final class Log implements Expr {
    public static final int TCPSEQ = 0x1, TCPOPT = 0x2, IPOPT = 0x4, UID = 0x8, MACDECODE = 0x20;
    public final String prefix;
    public final int level, flags;
    public final Integer group, snaplen;

    public Log(String prefix, int level, int flags, Integer group, Integer snaplen) {
        this.prefix = prefix;
        this.level = level;
        this.flags = flags;
        this.group = group;
        this.snaplen = snaplen;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        if (group == null && level != 8) { // nflog groups and level audit write no nf_log line
            e.logSink.log(prefix == null ? "" : prefix, level < 0 ? 4 : level, flags, p);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("log");
        if (prefix != null) sb.append(" prefix ").append(prefix);
        if (group != null) sb.append(" group ").append(group);
        if (group != null) sb.append(" snaplen ").append(snaplen == null ? 0 : snaplen).append(" qthreshold 0");
        if (level >= 0) sb.append(" level ").append(level);
        if ((flags & TCPSEQ) != 0) sb.append(" tcpseq");
        if ((flags & TCPOPT) != 0) sb.append(" tcpopt");
        if ((flags & IPOPT) != 0) sb.append(" ipopt");
        if ((flags & UID) != 0) sb.append(" uid");
        if ((flags & MACDECODE) != 0) sb.append(" macdecode");
        return sb.toString();
    }
}
