package dev.berth.kernel.nftables;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A chain of a table. A base chain has a {@link Hook} and is entered by the kernel; a regular
 * chain (no hook) is only reached by {@code jump} or {@code goto}.
 */
public record NftChain(NftTable table, String name, Optional<Hook> hook) {
    public NftChain {
        Objects.requireNonNull(table, "table");
        NftText.identifier(name);
        Objects.requireNonNull(hook, "hook");
    }

    public static NftChain regular(NftTable table, String name) {
        return new NftChain(table, name, Optional.empty());
    }

    public static NftChain base(NftTable table, String name, Hook hook) {
        return new NftChain(table, name, Optional.of(hook));
    }

    /** How commands refer to it: {@code inet filter forward}. */
    public String ref() {
        return table.ref() + " " + name;
    }

    /** {@code add chain ...} with the hook spec for a base chain. */
    String renderAdd() {
        return hook.map(h -> "add chain " + ref() + " { " + h.render() + " }").orElse("add chain " + ref());
    }

    /** What a base chain is: chain type, hook, priority (number or keyword) and policy. */
    public record Hook(String type, String hook, String priority, Policy policy) {
        private static final Pattern PRIORITY = Pattern.compile("-?[0-9]+|[a-z]+( ?[+-] ?[0-9]+)?");

        public Hook {
            NftText.identifier(type);
            NftText.identifier(hook);
            if (priority == null || !PRIORITY.matcher(priority).matches()) {
                throw new IllegalArgumentException("not a chain priority: " + priority);
            }
            Objects.requireNonNull(policy, "policy");
        }

        String render() {
            return "type " + type + " hook " + hook + " priority " + priority + "; policy " + policy.keyword() + ";";
        }
    }

    /** The verdict for packets that fall off the end of a base chain. */
    public enum Policy {
        ACCEPT, DROP;

        String keyword() {
            return this == ACCEPT ? "accept" : "drop";
        }
    }
}
