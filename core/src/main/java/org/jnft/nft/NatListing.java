package org.jnft.nft;

/** snat/dnat/masquerade/redirect as nft lists them. */
final class NatListing {
    private NatListing() {}

    static String nat(Ir.Nat n, String family) {
        StringBuilder sb = new StringBuilder();
        switch (n.kind()) {
            case "masq" -> sb.append("masquerade");
            case "redir" -> sb.append("redirect");
            default -> sb.append(n.kind());
        }
        boolean v6 = n.family() == 10;
        // is_nat_addr_map: an address . port map brings its family back whatever the table's
        boolean concat = n.addrMin() instanceof Ir.MapLookup m && m.set().dataTypes != null;
        if ((family.equals("inet") || concat) && (n.kind().equals("snat") || n.kind().equals("dnat")) && n.addrMin() != null) {
            sb.append(v6 ? " ip6" : " ip");
        }
        if (n.addrMin() != null || n.portMin() != null) {
            sb.append(" to ");
            if (n.addrMin() != null) {
                String a = RuleListing.rhs(n.addrMin());
                if (n.addrMax() != null && n.addrMin() instanceof Ir.Const lo && n.addrMax() instanceof Ir.Const hi) {
                    a = SetListing.range(lo.bytes(), hi.bytes(), lo.type());
                } else if (n.addrMax() != null) {
                    a += "-" + RuleListing.rhs(n.addrMax());
                }
                if (v6 && n.portMin() != null) a = "[" + a + "]";
                sb.append(a);
            }
            if (n.portMin() != null) {
                sb.append(':').append(RuleListing.rhs(n.portMin()));
                if (n.portMax() != null) sb.append('-').append(RuleListing.rhs(n.portMax()));
            }
        }
        int f = n.flags();
        java.util.List<String> flags = new java.util.ArrayList<>();
        if ((f & 0x4) != 0) flags.add("random");
        if ((f & 0x10) != 0) flags.add("fully-random");
        if ((f & 0x8) != 0) flags.add("persistent");
        if (!flags.isEmpty()) sb.append(' ').append(String.join(",", flags));
        return sb.toString();
    }
}
