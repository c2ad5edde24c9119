package dev.berth.cluster.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One jetcd client on a list of etcd endpoints ({@code http://h:2379}). Every call waits at most
 * the timeout given at connect and turns a failure into an {@link EtcdException}; jetcd itself
 * reconnects, so a later call may succeed again.
 */
public final class EtcdStore implements AutoCloseable {
    private final Client client;
    private final Duration timeout;
    /** Over TLS, a handshake etcd refuses shows only as calls that get no answer; their errors say so. */
    private final boolean tls;

    private EtcdStore(Client client, Duration timeout, boolean tls) {
        this.client = client;
        this.timeout = timeout;
        this.tls = tls;
    }

    private static final String VERTX_NO_CLASS_PATH_FILES = "vertx.disableFileCPResolving";

    /** A client on these endpoints; connects lazily (the first call finds out whether etcd answers). */
    public static EtcdStore connect(List<String> endpoints, Duration timeout) {
        return connect(endpoints, timeout, Optional.empty());
    }

    /**
     * A client on these endpoints ({@code https://h:2379} with {@code tls}), connecting lazily. The
     * TLS files are read here: one that cannot be read or is not a PEM certificate or key is an
     * {@link EtcdException} naming it (a certificate etcd does not trust shows only at the first call).
     */
    public static EtcdStore connect(List<String> endpoints, Duration timeout, Optional<EtcdTls> tls) {
        // jetcd runs on Vert.x, which otherwise makes a vertx-cache-<uuid> directory in /tmp per
        // client (for files it would serve from the class path, which nothing here asks for) and
        // leaves it behind when the process is killed. Read once, when Vert.x's options load.
        if (System.getProperty(VERTX_NO_CLASS_PATH_FILES) == null) {
            System.setProperty(VERTX_NO_CLASS_PATH_FILES, "true");
        }
        ClientBuilder builder = Client.builder().endpoints(endpoints.toArray(String[]::new)).connectTimeout(timeout);
        if (tls.isPresent()) {
            EtcdTls files = tls.get();
            for (Path file : List.of(files.caFile(), files.certFile(), files.keyFile())) {
                if (!Files.isReadable(file)) {
                    throw new EtcdException("TLS: cannot read " + file, null);
                }
            }
            try {
                builder.sslContext(b -> b.trustManager(files.caFile().toFile())
                        .keyManager(files.certFile().toFile(), files.keyFile().toFile()));
            } catch (SSLException | RuntimeException e) {
                throw new EtcdException("TLS: the CA " + files.caFile() + ", certificate " + files.certFile()
                        + " or key " + files.keyFile() + " is not usable (PEM certificates and an unencrypted PKCS#8"
                        + " key): " + rootMessage(e), e);
            }
        }
        return new EtcdStore(builder.build(), timeout, tls.isPresent());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root.getMessage();
    }

    /** The cluster's revision right now: a cheap way to ask whether etcd answers. */
    public long revision() {
        GetResponse got = await(client.getKVClient().get(bytes("\0"), GetOption.builder().withCountOnly(true).build()),
                "read the revision");
        return got.getHeader().getRevision();
    }

    /** A lease of {@code ttlSeconds}; keys put under it vanish when it is not kept alive. */
    public long grantLease(long ttlSeconds) {
        return await(client.getLeaseClient().grant(ttlSeconds), "grant a lease").getID();
    }

    /**
     * Keeps the lease alive (jetcd sends a keep-alive every third of the TTL) until {@link #close};
     * {@code lost} runs once if the lease expired or the stream failed.
     */
    public void keepAlive(long lease, Runnable lost) {
        client.getLeaseClient().keepAlive(lease, new StreamObserver<LeaseKeepAliveResponse>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {
            }

            @Override
            public void onError(Throwable t) {
                lost.run();
            }

            @Override
            public void onCompleted() {
                lost.run();
            }
        });
    }

    /** Revokes a lease (its keys go at once). */
    public void revoke(long lease) {
        await(client.getLeaseClient().revoke(lease), "revoke lease " + Long.toHexString(lease));
    }

    /**
     * One transaction: puts every entry if none of the keys exists (compare create revision 0);
     * false, with nothing written, if one does. {@code lease} 0 puts them without a lease.
     */
    public boolean putAllIfAbsent(Map<String, byte[]> entries, long lease) {
        Cmp[] absent = entries.keySet().stream()
                .map(k -> new Cmp(bytes(k), Cmp.Op.EQUAL, CmpTarget.createRevision(0))).toArray(Cmp[]::new);
        PutOption option = lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
        Op[] puts = entries.entrySet().stream()
                .map(e -> Op.put(bytes(e.getKey()), ByteSequence.from(e.getValue()), option)).toArray(Op[]::new);
        TxnResponse done = await(client.getKVClient().txn().If(absent).Then(puts).commit(),
                "create " + entries.keySet());
        return done.isSucceeded();
    }

    /** Creates one key if it does not exist (see {@link #putAllIfAbsent}). */
    public boolean putIfAbsent(String key, byte[] value, long lease) {
        return putAllIfAbsent(Map.of(key, value), lease);
    }

    /** Puts a key whatever it holds. */
    public void put(String key, byte[] value, long lease) {
        PutOption option = lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
        await(client.getKVClient().put(bytes(key), ByteSequence.from(value), option), "put " + key);
    }

    /**
     * One transaction: deletes every key that still holds the value given for it (a key another
     * writer changed or deleted is left alone). Returns whether all of them held it.
     */
    public boolean deleteAllIfValue(Map<String, byte[]> expected) {
        Cmp[] same = expected.entrySet().stream()
                .map(e -> new Cmp(bytes(e.getKey()), Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(e.getValue()))))
                .toArray(Cmp[]::new);
        Op[] deletes = expected.keySet().stream().map(k -> Op.delete(bytes(k), DeleteOption.DEFAULT)).toArray(Op[]::new);
        TxnResponse done = await(client.getKVClient().txn().If(same).Then(deletes).commit(),
                "delete " + expected.keySet());
        if (done.isSucceeded() || expected.size() == 1) {
            return done.isSucceeded();
        }
        boolean all = true;
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            all &= deleteAllIfValue(Map.of(e.getKey(), e.getValue()));
        }
        return all;
    }

    /** One key's value, if it exists. */
    public java.util.Optional<byte[]> get(String key) {
        GetResponse got = await(client.getKVClient().get(bytes(key)), "read " + key);
        return got.getKvs().isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(got.getKvs().getFirst().getValue().getBytes());
    }

    /** Deletes a key whatever it holds; succeeds when it is gone. */
    public void delete(String key) {
        await(client.getKVClient().delete(bytes(key)), "delete " + key);
    }

    /** Every key under a prefix, with the revision it was read at. */
    public EtcdListing list(String prefix) {
        GetResponse got = await(client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build()),
                "list " + prefix);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (KeyValue kv : got.getKvs()) {
            entries.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes());
        }
        return EtcdListing.of(got.getHeader().getRevision(), entries);
    }

    /**
     * Watches a prefix from a revision on (a listing's {@code revision + 1}); events arrive in the
     * store's order. Close the returned handle to stop.
     */
    public AutoCloseable watch(String prefix, long fromRevision, EtcdWatcher watcher) {
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(fromRevision).build();
        Watch.Watcher handle = client.getWatchClient().watch(bytes(prefix), option, Watch.listener(response -> {
            for (WatchEvent event : response.getEvents()) {
                String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
                switch (event.getEventType()) {
                    case PUT -> watcher.put(key, event.getKeyValue().getValue().getBytes());
                    case DELETE -> watcher.deleted(key);
                    default -> { }
                }
            }
        }, watcher::failed));
        return handle::close;
    }

    @Override
    public void close() {
        client.close();
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new EtcdException("etcd: " + what + ": no answer within " + timeout.toMillis() + " ms" + (tls
                    ? " (over TLS this is also how a refused handshake shows: is this host's certificate signed by the"
                    + " CA of etcd's --trusted-ca-file, and etcd's by the CA of kv.cacertfile?)" : ""), e);
        } catch (ExecutionException e) {
            throw new EtcdException("etcd: " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdException("etcd: " + what + ": interrupted", e);
        }
    }
}
