package org.jnft.vm;

import java.lang.foreign.MemorySegment;

/** Hand-built test frames (Ethernet + IPv4 + TCP/UDP), bytes written one by one. */
public final class Frames {
    private Frames() {}

    public static byte[] ipv4(int proto, int src, int dst, int sport, int dport, int tcpFlags, int payload) {
        int l4 = proto == 6 ? 20 : 8;
        byte[] b = new byte[14 + 20 + l4 + payload];
        // Ethernet: dst 02:00:00:00:00:01, src 02:00:00:00:00:02, type 0x0800
        b[0] = 2; b[5] = 1; b[6] = 2; b[11] = 2; b[12] = 0x08; b[13] = 0x00;
        int ip = 14;
        b[ip] = 0x45;
        int total = 20 + l4 + payload;
        b[ip + 2] = (byte) (total >> 8); b[ip + 3] = (byte) total;
        b[ip + 8] = 64;
        b[ip + 9] = (byte) proto;
        put32(b, ip + 12, src);
        put32(b, ip + 16, dst);
        int sum = checksum(b, ip, 20);
        b[ip + 10] = (byte) (sum >> 8); b[ip + 11] = (byte) sum;
        int th = ip + 20;
        b[th] = (byte) (sport >> 8); b[th + 1] = (byte) sport;
        b[th + 2] = (byte) (dport >> 8); b[th + 3] = (byte) dport;
        if (proto == 6) {
            b[th + 12] = 0x50;
            b[th + 13] = (byte) tcpFlags;
        } else {
            b[th + 4] = (byte) ((8 + payload) >> 8); b[th + 5] = (byte) (8 + payload);
        }
        return b;
    }

    public static int checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) sum += (b[off + i] & 0xff) << 8 | (b[off + i + 1] & 0xff);
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return ~sum & 0xffff;
    }

    static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24); b[off + 1] = (byte) (v >>> 16); b[off + 2] = (byte) (v >>> 8); b[off + 3] = (byte) v;
    }

    public static int addr(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    /** A packet view of an IPv4 frame arriving on {@code iif}. */
    public static NftPacket packet(byte[] frame, int hook, int iif, String iifName) {
        NftPacket p = new NftPacket();
        wrap(p, frame);
        p.hook = hook;
        p.setIif(iif, iifName);
        return p;
    }

    public static void wrap(NftPacket p, byte[] frame) {
        p.segment = MemorySegment.ofArray(frame);
        p.frameOffset = 0;
        p.frameLength = frame.length;
        p.linkOffset = 0;
        p.networkOffset = 14;
        p.nfproto = NftPacket.NFPROTO_IPV4;
        p.l4proto = frame[14 + 9] & 0xff;
        p.transportOffset = 14 + (frame[14] & 0x0f) * 4;
    }
}
