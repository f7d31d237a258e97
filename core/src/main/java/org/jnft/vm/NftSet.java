package org.jnft.vm;

import java.util.ArrayList;
import java.util.List;

/**
 * A set or map of a table. Elements are kept as the compiler sends them (for the debug listing), and
 * {@link #seal()} builds the lookup backend: an open-addressing hash for exact keys, a sorted interval
 * array for {@code flags interval} (single field), a range scan for concatenated intervals.
 * Lookups allocate nothing.
 */
public final class NftSet {
    public static final int ANONYMOUS = 0x1, CONSTANT = 0x2, INTERVAL = 0x4, MAP = 0x8, TIMEOUT = 0x10,
            EVAL = 0x20, OBJECT = 0x40, CONCAT = 0x80;
    public static final int ELEM_INTERVAL_END = 1;

    /** One element: key (network-order register bytes), optional key end, data or verdict, flags. */
    public record Element(byte[] key, byte[] keyEnd, byte[] data, int verdict, String chain, int flags,
                          String objName) {
        public static Element key(byte[] key, int flags) {
            return new Element(key, null, null, Integer.MIN_VALUE, null, flags, null);
        }
    }

    public final String name, table;
    public final int flags;
    public final int keyLen, dataLen;
    /** Declared size (0 = none) printed as {@code size N}. */
    public final int size;
    public final long timeoutMs;
    /** Verdict map (data type verdict). */
    public final boolean verdictMap;
    public final List<Element> elements = new ArrayList<>();
    /** Objects of an object map, by element index (resolved by the snapshot builder). */
    public NamedObject[] objects;

    /** Byte length of each field of a concatenated key (each padded to 4 bytes in the key); null for one field. */
    public int[] fieldLens;
    /** Expiry (engine nanoseconds) of elements added from the packet path with a timeout; 0 = never. */
    private long[] expires = new long[0];
    private int[] hashSlots;
    private byte[][] keysByIndex;
    private byte[][] lows, highs; // interval backend: inclusive ranges, sorted by low
    private int[] rangeElem;
    private int dynamicCount;

    public NftSet(String name, String table, int flags, int keyLen, int dataLen, int size, long timeoutMs,
                  boolean verdictMap) {
        this.name = name;
        this.table = table;
        this.flags = flags;
        this.keyLen = keyLen;
        this.dataLen = dataLen;
        this.size = size;
        this.timeoutMs = timeoutMs;
        this.verdictMap = verdictMap;
    }

    public boolean isInterval() {
        return (flags & INTERVAL) != 0;
    }

    /** The set's own line: {@code NAME TABLE FLAGS[ timeout Nms][ size N]}. */
    public String debugLine() {
        return name + " " + table + " " + Integer.toHexString(flags)
                + (timeoutMs > 0 ? " timeout " + timeoutMs + "ms" : "") + (size > 0 ? " size " + size : "");
    }

    /** The element message lines: {@code NAME TABLE 0} then tab-separated elements on one line. */
    public List<String> elementLines(List<Element> elems) {
        StringBuilder sb = new StringBuilder();
        for (Element e : elems) {
            sb.append("\telement ").append(Data.plainHex(e.key));
            if (e.keyEnd != null) sb.append("  - ").append(Data.plainHex(e.keyEnd));
            sb.append("  : ");
            if (e.verdict != Integer.MIN_VALUE) {
                sb.append(Verdict.name(e.verdict)).append(e.chain != null ? " -> " + e.chain : "").append(' ');
            } else if (e.data != null) {
                sb.append(Data.plainHex(e.data)).append(' ');
            }
            sb.append(e.flags).append(" [end]");
        }
        return List.of(name + " " + table + " 0", sb.toString());
    }

    /** Builds the lookup structures; call once the elements are final. */
    public void seal() {
        keysByIndex = new byte[elements.size()][];
        if (isInterval()) {
            List<byte[]> lo = new ArrayList<>(), hi = new ArrayList<>();
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < elements.size(); i++) {
                Element e = elements.get(i);
                if (e.keyEnd != null) {
                    lo.add(e.key);
                    hi.add(e.keyEnd);
                    idx.add(i);
                } else if ((e.flags & ELEM_INTERVAL_END) == 0) {
                    byte[] end = null;
                    if (i + 1 < elements.size() && (elements.get(i + 1).flags & ELEM_INTERVAL_END) != 0) {
                        end = minusOne(elements.get(i + 1).key);
                    }
                    lo.add(e.key);
                    hi.add(end == null ? allOnes(e.key.length) : end);
                    idx.add(i);
                }
            }
            lows = lo.toArray(new byte[0][]);
            highs = hi.toArray(new byte[0][]);
            rangeElem = idx.stream().mapToInt(Integer::intValue).toArray();
            return;
        }
        int cap = Integer.highestOneBit(Math.max(16, elements.size() * 4 + 16)) * 2;
        hashSlots = new int[cap];
        java.util.Arrays.fill(hashSlots, -1);
        for (int i = 0; i < elements.size(); i++) put(i, elements.get(i).key);
    }

    private void put(int index, byte[] key) {
        keysByIndex[index] = key;
        int m = hashSlots.length - 1;
        int h = hash(key, 0) & m;
        while (hashSlots[h] >= 0) h = (h + 1) & m;
        hashSlots[h] = index;
    }

    private int hash(byte[] b, int off) {
        int h = 0x9747b28c;
        for (int i = 0; i < keyLen; i++) h = (h ^ (b[off + i] & 0xff)) * 0x01000193;
        return h ^ (h >>> 16);
    }

    /** Index of the element matching the {@code keyLen} bytes at {@code off}, or -1 (no expiry check). */
    public int find(byte[] regs, int off) {
        return find(regs, off, Long.MIN_VALUE);
    }

    /** Index of the live element (at engine time {@code now}) matching the key at {@code off}, or -1. */
    public int find(byte[] regs, int off, long now) {
        int i = lookup(regs, off);
        if (i >= 0 && i < expires.length && expires[i] != 0 && now != Long.MIN_VALUE && expires[i] <= now) return -1;
        return i;
    }

    private int lookup(byte[] regs, int off) {
        if (lows != null) {
            if (fieldLens != null) {
                for (int i = 0; i < lows.length; i++) if (inFields(regs, off, lows[i], highs[i])) return rangeElem[i];
                return -1;
            }
            // Ranges are sorted and disjoint: the last low <= key is the only candidate.
            int lo = 0, hi = lows.length - 1, cand = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Data.compare(regs, off, lows[mid], keyLen) >= 0) {
                    cand = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            if (cand >= 0 && Data.compare(regs, off, highs[cand], keyLen) <= 0) return rangeElem[cand];
            return -1;
        }
        if (hashSlots == null) return -1;
        int m = hashSlots.length - 1;
        for (int h = hash(regs, off) & m; hashSlots[h] >= 0; h = (h + 1) & m) {
            if (Data.compare(regs, off, keysByIndex[hashSlots[h]], keyLen) == 0) return hashSlots[h];
        }
        return -1;
    }

    /** Each field of a concatenated key within its own [low, high] (the kernel's pipapo semantics). */
    private boolean inFields(byte[] regs, int off, byte[] low, byte[] high) {
        int pos = 0;
        for (int len : fieldLens) {
            if (cmpField(regs, off + pos, low, pos, len) < 0 || cmpField(regs, off + pos, high, pos, len) > 0) return false;
            pos += (len + 3) & ~3;
        }
        return true;
    }

    private static int cmpField(byte[] a, int aOff, byte[] b, int bOff, int len) {
        for (int i = 0; i < len; i++) {
            int x = a[aOff + i] & 0xff, y = b[bOff + i] & 0xff;
            if (x != y) return x - y;
        }
        return 0;
    }

    public int verdictAt(int i) {
        return elements.get(i).verdict;
    }

    /** Chain indexes of jump/goto verdicts by element (resolved by the snapshot builder). */
    public int[] chainIndexes;

    public int chainAt(int i) {
        return chainIndexes == null ? -1 : chainIndexes[i];
    }

    public NamedObject objectAt(int i) {
        return objects == null ? null : objects[i];
    }

    public void copyData(int i, byte[] dst, int off) {
        byte[] d = elements.get(i).data;
        System.arraycopy(d, 0, dst, off, d.length);
    }

    /** The packet path's add/update: false when the set is full. Allocates only on a new element. */
    public boolean insertFromPath(byte[] regs, int off, boolean update) {
        return insertFromPath(regs, off, update, 0, Long.MIN_VALUE);
    }

    /** Add/update with a timeout (ms, 0 = the set's) at engine time {@code now}; update refreshes the expiry. */
    public boolean insertFromPath(byte[] regs, int off, boolean update, long timeoutMs, long now) {
        long t = timeoutMs > 0 ? timeoutMs : this.timeoutMs;
        int found = lookup(regs, off);
        if (found >= 0) {
            boolean expired = found < expires.length && expires[found] != 0 && now != Long.MIN_VALUE && expires[found] <= now;
            if ((update || expired) && t > 0 && now != Long.MIN_VALUE) setExpiry(found, now + t * 1_000_000L);
            return true;
        }
        if (size > 0 && dynamicCount >= size) return false;
        if (hashSlots == null || elements.size() * 2 >= hashSlots.length) {
            if (hashSlots == null) seal();
            rehash();
        }
        byte[] key = java.util.Arrays.copyOfRange(regs, off, off + keyLen);
        elements.add(Element.key(key, 0));
        keysByIndex = java.util.Arrays.copyOf(keysByIndex, elements.size());
        put(elements.size() - 1, key);
        dynamicCount++;
        if (t > 0 && now != Long.MIN_VALUE) setExpiry(elements.size() - 1, now + t * 1_000_000L);
        return true;
    }

    private void setExpiry(int i, long at) {
        if (expires.length <= i) expires = java.util.Arrays.copyOf(expires, Math.max(i + 1, expires.length * 2));
        expires[i] = at;
    }

    private void rehash() {
        hashSlots = new int[hashSlots.length * 2];
        java.util.Arrays.fill(hashSlots, -1);
        keysByIndex = new byte[elements.size()][];
        for (int i = 0; i < elements.size(); i++) put(i, elements.get(i).key);
    }

    private static byte[] minusOne(byte[] b) {
        byte[] r = b.clone();
        for (int i = r.length - 1; i >= 0; i--) {
            if (r[i]-- != 0) break;
        }
        return r;
    }

    private static byte[] allOnes(int n) {
        byte[] r = new byte[n];
        java.util.Arrays.fill(r, (byte) 0xff);
        return r;
    }
}
