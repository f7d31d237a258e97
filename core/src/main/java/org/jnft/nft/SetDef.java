package org.jnft.nft;

import java.util.ArrayList;
import java.util.List;

/** A set or map after evaluation: types, flags and elements as register bytes. */
public final class SetDef {
    /** An element: key (and inclusive key end for ranges), data or verdict, options. */
    public record Elem(byte[] key, byte[] keyEnd, byte[] data, String verdict, String chain, long timeoutMs,
                       String comment, String objName) {}

    public final String name;
    public final boolean anonymous;
    public final List<DataType> keyTypes;
    /** Typeof expressions' text for listing (null when declared with {@code type}). */
    public List<String> keyTypeofText;
    public final DataType dataType;
    public String dataTypeofText;
    /**
     * The parts of a concatenated data type ({@code ipv4_addr . inet_service}, what nat maps return), each
     * padded to 32 bits as in keys; null for a single data type ({@link #dataType} then says all).
     */
    public List<DataType> dataTypes;
    public final List<String> flags;
    public final long timeoutMs;
    public final int size;
    public final boolean map;
    public final List<Elem> elems = new ArrayList<>();
    public String comment;
    public String policy;
    public boolean counter;
    public boolean interval;
    /** How many of {@link #elems} came with the declaration (the rest from later add element commands). */
    public int declaredCount;

    public SetDef(String name, boolean anonymous, List<DataType> keyTypes, DataType dataType, List<String> flags,
                  long timeoutMs, int size, boolean map) {
        this.name = name;
        this.anonymous = anonymous;
        this.keyTypes = keyTypes;
        this.dataType = dataType;
        this.flags = flags;
        this.timeoutMs = timeoutMs;
        this.size = size;
        this.map = map;
        this.interval = flags.contains("interval");
    }

    public int keyLen() {
        if (keyTypes.size() == 1) return keyTypes.get(0).bytes();
        int n = 0;
        for (DataType t : keyTypes) n += (t.bytes() + 3) / 4 * 4;
        return n;
    }

    /** Bytes of an element's data (0 for sets, verdict and object maps). */
    public int dataLen() {
        if (dataType == null || isObjectMap() || isVerdictMap()) return 0;
        if (dataTypes == null) return dataType.bytes();
        int n = 0;
        for (DataType t : dataTypes) n += (t.bytes() + 3) / 4 * 4;
        return n;
    }

    /** A concatenated data type: {@link #dataType} is then an integer as wide as the whole. */
    static DataType concatData(List<DataType> parts) {
        int n = 0;
        for (DataType t : parts) n += (t.bytes() + 3) / 4 * 4;
        return DataType.INTEGER.withBits(n * 8);
    }

    /** A copy without elements (for listings and debug output that add their own). */
    SetDef emptyCopy() {
        SetDef c = new SetDef(name, anonymous, keyTypes, dataType, flags, timeoutMs, size, map);
        c.dataTypes = dataTypes;
        return c;
    }

    public boolean isConcat() {
        return keyTypes.size() > 1;
    }

    public boolean isObjectMap() {
        return dataType != null && dataType.kind == DataType.Kind.OBJECT;
    }

    public boolean isVerdictMap() {
        return dataType != null && dataType.kind == DataType.Kind.VERDICT;
    }

    public DataType keyType() {
        if (keyTypes.size() == 1) return keyTypes.get(0);
        return DataType.INTEGER.withBits(keyLen() * 8);
    }
}
