package dev.berth.cluster.etcd;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The keys under a prefix at one revision of the store (watch from {@code revision + 1} to miss nothing). */
public record EtcdListing(long revision, SortedMap<String, byte[]> entries) {
    public EtcdListing {
        entries = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    static EtcdListing of(long revision, Map<String, byte[]> entries) {
        return new EtcdListing(revision, new TreeMap<>(entries));
    }
}
