package dev.berth.cluster.etcd;

/** etcd could not be reached or refused a request; the message names the operation. */
public final class EtcdException extends RuntimeException {
    public EtcdException(String message, Throwable cause) {
        super(message, cause);
    }
}
