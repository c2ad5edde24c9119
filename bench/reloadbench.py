#!/usr/bin/env python3
"""Times a reload of berthd (SIGHUP) until every sandbox has (or has lost) its global IPv6 address.

    reloadbench.py PID NETNS_DIR on|off

Opens one rtnetlink socket in each sandbox namespace under NETNS_DIR (subscribed to IPv6 address
changes; the thread goes back to its own namespace after each), then sends SIGHUP to PID and
waits until every namespace has reported a global IPv6 address added (on) or removed (off).
Prints one JSON object: sandboxes, ms (SIGHUP to the last namespace's event), first_ms, p50_ms.
Reads only: nothing is changed in any namespace; the initial namespace is never entered.
"""
import ctypes
import json
import os
import select
import signal
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
RTMGRP_IPV6_IFADDR = 0x100
RTM_NEWADDR, RTM_DELADDR = 20, 21
RT_SCOPE_UNIVERSE = 0
TIMEOUT_S = 30

libc = ctypes.CDLL(None, use_errno=True)


def setns(fd):
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns")


def sockets(netns_dir):
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    out = {}
    try:
        for name in sorted(os.listdir(netns_dir)):
            fd = os.open(os.path.join(netns_dir, name), os.O_RDONLY)
            try:
                setns(fd)
                s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
                s.bind((0, RTMGRP_IPV6_IFADDR))
                s.setblocking(False)
                out[s] = name
            finally:
                setns(own)
                os.close(fd)
    finally:
        os.close(own)
    return out


def global_v6_events(data, wanted):
    """Whether the datagram holds an RTM_NEW/DELADDR of a global IPv6 address."""
    at = 0
    while at + 16 <= len(data):
        length, kind = struct.unpack_from("=IH", data, at)
        if length < 16:
            break
        if kind == wanted and at + 24 <= len(data):
            family, _prefix, _flags, scope = struct.unpack_from("=BBBB", data, at + 16)
            if family == socket.AF_INET6 and scope == RT_SCOPE_UNIVERSE:
                return True
        at += (length + 3) & ~3
    return False


def main():
    pid, netns_dir, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    wanted = RTM_NEWADDR if mode == "on" else RTM_DELADDR
    socks = sockets(netns_dir)
    pending = set(socks)
    done = []
    poller = select.epoll()
    for s in socks:
        poller.register(s.fileno(), select.EPOLLIN)
    by_fd = {s.fileno(): s for s in socks}
    t0 = time.monotonic()
    os.kill(pid, signal.SIGHUP)
    while pending and time.monotonic() - t0 < TIMEOUT_S:
        for fd, _ in poller.poll(0.5):
            s = by_fd[fd]
            try:
                while True:
                    data = s.recv(65536)
                    if s in pending and global_v6_events(data, wanted):
                        pending.discard(s)
                        done.append((time.monotonic() - t0) * 1000)
            except BlockingIOError:
                pass
    for s in socks:
        s.close()
    done.sort()
    print(json.dumps({"mode": mode, "sandboxes": len(socks), "reached": len(done),
                      "ms": round(done[-1], 1) if done and not pending else None,
                      "first_ms": round(done[0], 1) if done else None,
                      "p50_ms": round(done[len(done) // 2], 1) if done else None}))
    return 0 if not pending else 1


if __name__ == "__main__":
    sys.exit(main())
