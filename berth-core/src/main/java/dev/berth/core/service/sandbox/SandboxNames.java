package dev.berth.core.service.sandbox;

import dev.berth.core.errors.InvalidParameterException;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/** Container names: moby's validity rule, and generated {@code adjective_name} names when none is given. */
final class SandboxNames {
    private static final Pattern VALID = Pattern.compile("/?[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final List<String> ADJECTIVES = List.of("agile", "brave", "calm", "eager", "fond", "gentle",
            "happy", "jolly", "keen", "lucid", "merry", "nimble", "proud", "quiet", "sharp", "tender", "upbeat",
            "vivid", "witty", "zealous");
    private static final List<String> NAMES = List.of("babbage", "cerf", "dijkstra", "engelbart", "feistel",
            "hopper", "kahn", "lamport", "liskov", "lovelace", "metcalfe", "postel", "ritchie", "shannon",
            "thompson", "torvalds", "turing", "wozniak");

    private SandboxNames() {
    }

    /** The name without its leading slash; throws for names moby refuses. */
    static String check(String name) {
        if (!VALID.matcher(name).matches()) {
            throw new InvalidParameterException("Invalid container name (" + name
                    + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return name.startsWith("/") ? name.substring(1) : name;
    }

    /** A free generated name; a number is appended after a few collisions, as moby does. */
    static String generate(RandomGenerator random, Predicate<String> taken) {
        for (int attempt = 0; ; attempt++) {
            String name = ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_"
                    + NAMES.get(random.nextInt(NAMES.size()));
            if (attempt >= 10) {
                name += random.nextInt(10);
            }
            if (!taken.test(name)) {
                return name;
            }
        }
    }
}
