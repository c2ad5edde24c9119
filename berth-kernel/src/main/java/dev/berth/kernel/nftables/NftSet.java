package dev.berth.kernel.nftables;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A named set ({@code dataType} empty) or map ({@code dataType} present, e.g. a verdict map with
 * {@code verdict}). Types are nft type expressions such as {@code ifname},
 * {@code ipv4_addr . inet_service}; flags such as {@code interval}.
 *
 * <p>Elements are added and removed by key, which keeps a change O(1) in the number of
 * elements: prefer sets and maps over one rule per item.
 */
public record NftSet(NftTable table, String name, String keyType, Optional<String> dataType, List<String> flags) {
    private static final Pattern TYPE = Pattern.compile("[a-z0-9_]+( \\. [a-z0-9_]+)*");

    public NftSet {
        Objects.requireNonNull(table, "table");
        NftText.identifier(name);
        requireType(keyType);
        Objects.requireNonNull(dataType, "dataType").ifPresent(NftSet::requireType);
        flags = List.copyOf(flags);
        flags.forEach(NftText::identifier);
    }

    public static NftSet set(NftTable table, String name, String keyType, String... flags) {
        return new NftSet(table, name, keyType, Optional.empty(), List.of(flags));
    }

    public static NftSet map(NftTable table, String name, String keyType, String dataType, String... flags) {
        return new NftSet(table, name, keyType, Optional.of(dataType), List.of(flags));
    }

    public boolean isMap() {
        return dataType.isPresent();
    }

    /** How commands refer to it: {@code inet filter allowed}. */
    public String ref() {
        return table.ref() + " " + name;
    }

    /** How rules refer to it: {@code @allowed}. */
    public String reference() {
        return "@" + name;
    }

    String kind() {
        return isMap() ? "map" : "set";
    }

    String renderAdd() {
        StringBuilder sb = new StringBuilder("add ").append(kind()).append(' ').append(ref())
                .append(" { type ").append(keyType);
        dataType.ifPresent(d -> sb.append(" : ").append(d));
        sb.append(';');
        if (!flags.isEmpty()) {
            sb.append(" flags ").append(String.join(", ", flags)).append(';');
        }
        return sb.append(" }").toString();
    }

    private static void requireType(String type) {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("not an nftables type: " + type);
        }
    }
}
