"""What a user's test suite does with the Python Docker SDK (the `docker` package), run by PythonSdkIT.

    python3 docker_sdk.py up|check|down

DOCKER_HOST names the daemon. Each phase prints one JSON object of what the SDK returned; PythonSdkIT
asserts on it and on the kernel between the phases. Any SDK error ends the script with a traceback
and a non-zero exit.
"""
import json
import sys

import docker

IDLE = ["sh", "-c", "trap 'exit 0' TERM; echo ready; while :; do sleep 1; done"]
WEB = ["sh", "-c", "trap 'exit 0' TERM; mkdir -p /www && echo hello-from-pysrv > /www/index.html"
       " && httpd -p 80 -h /www && echo ready; while :; do sleep 1; done"]


def endpoints(container):
    container.reload()
    return {name: {"IPAddress": ep["IPAddress"], "Aliases": ep["Aliases"] or []}
            for name, ep in container.attrs["NetworkSettings"]["Networks"].items()}


def up(client):
    out = {"sdk": docker.__version__, "ping": client.ping(), "api": client.api.api_version,
           "server_api": client.version()["ApiVersion"], "server_version": client.info()["ServerVersion"]}
    ipam = docker.types.IPAMConfig(pool_configs=[docker.types.IPAMPool(
        subnet="10.89.20.0/24", gateway="10.89.20.1", iprange="10.89.20.128/25")])
    net = client.networks.create("pynet", driver="bridge", ipam=ipam, labels={"suite": "py"},
                                 options={"com.docker.network.bridge.name": "br-pynet"}, check_duplicate=True)
    internal = client.networks.create("pyinternal", driver="bridge", internal=True, labels={"suite": "py"})
    out["ipam"] = net.attrs["IPAM"]["Config"]
    out["internal"] = internal.attrs["Internal"]
    out["by_label"] = sorted(n.name for n in client.networks.list(filters={"label": "suite=py"}))
    try:
        client.networks.create("pynet", check_duplicate=True)
    except docker.errors.APIError as e:
        out["duplicate"] = [e.status_code, e.explanation]
    srv = client.containers.run("busybox", WEB, name="pysrv", detach=True, network="pynet", labels={"suite": "py"},
                                ports={"80/tcp": ("127.0.0.1", 8081)})
    cli = client.containers.create("busybox", IDLE, name="pycli", labels={"suite": "py"})
    net.connect(cli, aliases=["client", "cli-alias"], ipv4_address="10.89.20.20")
    cli.start()
    internal.connect(srv, aliases=["srv-inside"])
    internal.connect(cli)
    out["srv"] = endpoints(srv)
    out["cli"] = endpoints(cli)
    out["ports"] = client.api.port(srv.id, 80)
    return out


def check(client):
    srv = client.containers.get("pysrv")
    cli = client.containers.get("pycli")
    out = {"status": [srv.status, cli.status]}
    out["nslookup"] = [r.exit_code, r.output.decode()] if (r := cli.exec_run(["nslookup", "pysrv"])) else None
    out["ping_alias"] = srv.exec_run("ping -c1 -W2 cli-alias").exit_code
    out["ping_inside"] = cli.exec_run("ping -c1 -W2 srv-inside").exit_code
    r = cli.exec_run(["wget", "-qO-", "http://pysrv/"])
    out["wget"] = [r.exit_code, r.output.decode()]
    r = srv.exec_run("sh -c 'echo out; echo err >&2; echo $GREETING; pwd; exit 3'", demux=True,
                     environment={"GREETING": "hi"}, workdir="/tmp")
    out["demux"] = [r.exit_code, r.output[0].decode(), r.output[1].decode()]
    out["logs"] = srv.logs().decode()
    out["top"] = srv.top()["Titles"]
    out["listed"] = sorted(c.name for c in client.containers.list(filters={"label": "suite=py"}))
    net = client.networks.get("pynet")
    out["net_containers"] = sorted(v["Name"] for v in net.attrs["Containers"].values())
    return out


def down(client):
    out = {}
    net = client.networks.get("pynet")
    srv = client.containers.get("pysrv")
    cli = client.containers.get("pycli")
    net.disconnect(cli)
    out["cli_after_disconnect"] = sorted(endpoints(cli))
    done = client.containers.run("busybox", ["sh", "-c", "echo bye; exit 7"], detach=True, network="pynet")
    out["wait"] = done.wait(timeout=20)["StatusCode"]
    out["done_logs"] = done.logs().decode()
    done.remove()
    out["run_rm"] = client.containers.run("busybox", "echo inline", remove=True, network="pynet").decode()
    srv.stop(timeout=5)
    srv.reload()
    out["stopped"] = [srv.status, srv.attrs["State"]["ExitCode"]]
    out["prune_containers"] = client.containers.prune(filters={"label": "suite=py"})["ContainersDeleted"] == [srv.id]
    cli.remove(force=True)
    out["prune_networks"] = sorted(client.networks.prune(filters={"label": "suite=py"})["NetworksDeleted"])
    out["prune_volumes"] = client.volumes.prune()
    out["networks_left"] = sorted(n.name for n in client.networks.list())
    out["containers_left"] = [c.name for c in client.containers.list(all=True)]
    try:
        client.networks.get("nosuch")
    except docker.errors.NotFound as e:
        out["not_found"] = e.explanation
    out["swarm_leave"] = client.swarm.leave(force=True)
    return out


if __name__ == "__main__":
    phase = {"up": up, "check": check, "down": down}[sys.argv[1]]
    client = docker.from_env(timeout=30)
    try:
        print(json.dumps(phase(client)))
    finally:
        client.close()
