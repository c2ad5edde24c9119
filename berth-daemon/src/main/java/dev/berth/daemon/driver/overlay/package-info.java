/**
 * The {@code overlay} driver: a global network is, on each host, a Linux bridge (the bridge
 * driver's, with its veths, firewall and NAT) whose extra port is a VXLAN device (the network's
 * VNI, UDP 4789, no learning, ARP/ND proxy). The other hosts' endpoints are static FDB and
 * neighbour entries on that device, programmed as the cluster store announces them.
 */
package dev.berth.daemon.driver.overlay;
