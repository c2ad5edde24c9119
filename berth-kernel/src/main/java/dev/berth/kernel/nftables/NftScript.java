package dev.berth.kernel.nftables;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An ordered list of nft commands that libnftables (or {@code nft -f -}) applies as one
 * transaction: either all of it takes effect or none. Built fluently, rendered to text:
 * <pre>{@code
 * String text = new NftScript().add(table).add(chain).flush(chain).add(rule).render();
 * }</pre>
 *
 * <p>Element lists are written as given: format them with {@link NftText} (quoted names,
 * concatenations, mappings). Adding an element that exists is not an error; deleting one that is
 * missing is, so {@link #deleteElementsIfPresent} adds then deletes in the same transaction.
 */
public final class NftScript {
    private final List<String> lines = new ArrayList<>();

    public NftScript add(NftTable table) {
        return line("add table " + table.ref());
    }

    /** Deletes the table with everything in it; fails if it does not exist. */
    public NftScript delete(NftTable table) {
        return line("delete table " + table.ref());
    }

    public NftScript add(NftChain chain) {
        return line(chain.renderAdd());
    }

    /** Removes every rule of the chain, keeping the chain. */
    public NftScript flush(NftChain chain) {
        return line("flush chain " + chain.ref());
    }

    /** Deletes an existing chain; it must not be the target of a jump. */
    public NftScript delete(NftChain chain) {
        return line("delete chain " + chain.ref());
    }

    public NftScript add(NftSet set) {
        return line(set.renderAdd());
    }

    /** Removes every element, keeping the set. */
    public NftScript flush(NftSet set) {
        return line("flush " + set.kind() + " " + set.ref());
    }

    public NftScript add(NftRule rule) {
        return line(rule.renderAdd());
    }

    /** {@code add element}; nothing when {@code elements} is empty. */
    public NftScript addElements(NftSet set, Collection<String> elements) {
        return elements.isEmpty() ? this : line("add element " + set.ref() + " " + braced(elements));
    }

    /** {@code delete element}; fails if one is missing. Nothing when {@code elements} is empty. */
    public NftScript deleteElements(NftSet set, Collection<String> elements) {
        return elements.isEmpty() ? this : line("delete element " + set.ref() + " " + braced(elements));
    }

    /**
     * Deletes elements whether or not they exist, by adding then deleting them in the same
     * transaction (nft 1.0.6 has no {@code destroy}). For a map, the given value must be the one
     * stored: adding a known key with another value fails.
     */
    public NftScript deleteElementsIfPresent(NftSet set, Collection<String> elements) {
        return addElements(set, elements).deleteElements(set, elements);
    }

    /**
     * The read command {@code get element SET { key, ... }} for {@link NftScriptRunner#query}: it
     * fails (ENOENT) unless every key is in the set or map. Keys only, also for a map.
     */
    public static String getElements(NftSet set, Collection<String> keys) {
        return "get element " + set.ref() + " " + braced(keys);
    }

    /** Appends another script's commands. */
    public NftScript append(NftScript other) {
        lines.addAll(other.lines);
        return this;
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The script text, one command per line, ending with a newline (empty if no commands). */
    public String render() {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    @Override
    public String toString() {
        return render();
    }

    private NftScript line(String line) {
        lines.add(line);
        return this;
    }

    private static String braced(Collection<String> elements) {
        for (String e : elements) {
            if (e.isBlank() || e.chars().anyMatch(c -> c == '\n' || c == '\r' || c == ';' || c == '#'
                    || c == '{' || c == '}' || c == ',')) {
                throw new IllegalArgumentException("not a single set element: " + e);
            }
        }
        return "{ " + String.join(", ", elements) + " }";
    }
}
