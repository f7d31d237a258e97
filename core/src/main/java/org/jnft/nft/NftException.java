package org.jnft.nft;

import java.util.List;

/** A ruleset that cannot be parsed or evaluated; carries every diagnostic found, the first as nft's. */
public final class NftException extends Exception {
    private static final long serialVersionUID = 1L;
    public final transient List<Diag> diags;

    public NftException(List<Diag> diags) {
        super(diags.isEmpty() ? "error" : diags.get(0).format());
        this.diags = List.copyOf(diags);
    }

    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Diag d : diags) sb.append(d.format());
        return sb.toString();
    }
}
