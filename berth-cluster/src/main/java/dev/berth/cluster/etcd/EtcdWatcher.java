package dev.berth.cluster.etcd;

/** What a prefix watch reports, on jetcd's threads, in the store's order. */
public interface EtcdWatcher {
    void put(String key, byte[] value);

    void deleted(String key);

    /** The watch ended (etcd gone, compacted past the revision); the owner lists and watches again. */
    void failed(Throwable cause);
}
