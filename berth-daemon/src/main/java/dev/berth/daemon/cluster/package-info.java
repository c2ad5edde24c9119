/**
 * This host as a member of the cluster of overlay networks: its registration in etcd under a lease
 * kept alive, the cluster-wide reservations of the overlay driver ({@code core.spi.OverlayStore}),
 * and the sync (a listing, then a watch) that makes the cluster's global networks this host's and
 * feeds the other hosts' endpoints to the data path and the embedded DNS. Uses {@code berth-cluster}
 * for etcd and the store's network codec for the networks' form.
 */
package dev.berth.daemon.cluster;
