package dev.berth.daemon.archfixture;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Static fields the architecture rule must report (the first six) and must let pass (the rest). */
@SuppressWarnings("unused")
public final class MutableStatics {
    private static int COUNTER = 0;
    private static final List<String> NAMES = new ArrayList<>();
    private static final Map<String, String> BY_KEY = new HashMap<>();
    private static final String[] TABLE = {"a", "b"};
    private static final AtomicLong HITS = new AtomicLong();
    private static final ConcurrentHashMap<String, String> LATEST = new ConcurrentHashMap<>();

    private static final String FIXED = "x";
    private static final Set<String> KEYS = Set.of("a", "b");
    private static final List<String> COPY = List.copyOf(new ArrayList<>(List.of("c")));
    private static final Map<String, String> WRAPPED = Collections.unmodifiableMap(new HashMap<>(Map.of("k", "v")));
    private static final int LIMIT = 3;

    private MutableStatics() {
    }
}
