package dev.berth.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * berthd's command line, with dockerd's flag names. Values are kept as JSON nodes keyed by the
 * daemon.json option they stand for, so flags and file merge uniformly.
 *
 * @param options    option name (daemon.json spelling) to value
 * @param configFile {@code --config-file}, if given
 * @param action     run the daemon, or only print help/version, or only validate the configuration
 */
public record DaemonFlags(Map<String, JsonNode> options, Optional<Path> configFile, Action action) {

    public enum Action { RUN, HELP, VERSION, VALIDATE }

    public static final String USAGE = """
            Usage:  berthd [OPTIONS]

            Berth: Docker-compatible container networking daemon

            Options:
                  --bip string                Default bridge address with prefix length (default 172.17.0.1/16)
                  --bip6 string               Default bridge IPv6 address with prefix length (with --ipv6)
                  --cluster-advertise string  Interface or address other hosts reach this one at (overlay networks)
                  --cluster-store string      etcd of overlay networks, e.g. etcd://h1:2379,h2:2379
                  --config-file string        Daemon configuration file (default "/etc/berth/daemon.json")
                  --data-root string          Root directory of persistent state (default "/var/lib/berth")
              -D, --debug                     Enable debug logging
                  --default-gateway ip        Default gateway IPv4 address for the default bridge network
                  --default-gateway-v6 ip     Default gateway IPv6 address for the default bridge network
                  --exec-root string          Root directory of runtime state (default "/run/berth")
                  --fixed-cidr string         IPv4 subnet for the default bridge network
                  --fixed-cidr-v6 string      IPv6 subnet for the default bridge network
              -G, --group string              Group for the unix socket (default "docker")
              -H, --host list                 Daemon socket(s) to listen on: unix:///path or tcp://host:port
                                              (default "unix:///run/berth/berth.sock")
                  --icc                       Allow traffic between sandboxes on the default bridge (default true)
                  --ip string                 Default host IP for published ports (default 0.0.0.0)
                  --ip-masq                   Masquerade traffic leaving the default bridge (default true)
                  --ipv6                      Enable IPv6 networking for the default bridge network
              -l, --log-level string          debug, info, warn, error or fatal (default "info")
                  --log-format string         text or json (default "text")
                  --metrics-addr string       Set default address and port to serve the metrics api on
                  --mtu int                   MTU of the default bridge (default 1500)
                  --tls                       Use TLS; implied by --tlsverify
                  --tlscacert string          Trust certs signed only by this CA (default "~/.docker/ca.pem")
                  --tlscert string            Path to TLS certificate file (default "~/.docker/cert.pem")
                  --tlskey string             Path to TLS key file (default "~/.docker/key.pem")
                  --tlsverify                 Use TLS and verify the remote
                  --validate                  Validate the configuration and exit
              -v, --version                   Print version information and exit
              -h, --help                      Print usage
            """;

    private static final Map<String, String> VALUED = Map.ofEntries(
            Map.entry("-H", "hosts"), Map.entry("--host", "hosts"), Map.entry("--data-root", "data-root"),
            Map.entry("--exec-root", "exec-root"), Map.entry("-l", "log-level"), Map.entry("--log-level", "log-level"),
            Map.entry("--log-format", "log-format"), Map.entry("--bip", "bip"), Map.entry("--mtu", "mtu"),
            Map.entry("--ip", "ip"), Map.entry("--config-file", "config-file"), Map.entry("-G", "group"),
            Map.entry("--group", "group"), Map.entry("--bip6", "bip6"), Map.entry("--fixed-cidr", "fixed-cidr"),
            Map.entry("--fixed-cidr-v6", "fixed-cidr-v6"), Map.entry("--default-gateway", "default-gateway"),
            Map.entry("--default-gateway-v6", "default-gateway-v6"), Map.entry("--tlscacert", "tlscacert"),
            Map.entry("--tlscert", "tlscert"), Map.entry("--tlskey", "tlskey"),
            Map.entry("--metrics-addr", "metrics-addr"),
            Map.entry("--cluster-store", ClusterSettings.STORE), Map.entry("--cluster-advertise", ClusterSettings.ADVERTISE));
    private static final Map<String, String> BOOLEAN = Map.of("-D", "debug", "--debug", "debug", "--icc", "icc",
            "--ip-masq", "ip-masq", "--ipv6", "ipv6", "--tls", "tls", "--tlsverify", "tlsverify");

    public static DaemonFlags parse(List<String> args) {
        Map<String, JsonNode> options = new LinkedHashMap<>();
        List<String> hosts = new ArrayList<>();
        Path configFile = null;
        Action action = Action.RUN;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") && arg.startsWith("-") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inline = name.equals(arg) ? null : arg.substring(name.length() + 1);
            switch (name) {
                case "-h", "--help" -> action = Action.HELP;
                case "-v", "--version" -> action = Action.VERSION;
                case "--validate" -> action = Action.VALIDATE;
                default -> {
                    if (BOOLEAN.containsKey(name)) {
                        options.put(BOOLEAN.get(name), BooleanNode.valueOf(inline == null || parseBool(name, inline)));
                        continue;
                    }
                    String key = VALUED.get(name);
                    if (key == null) {
                        throw new ConfigException("unknown flag: " + name + "\nSee 'berthd --help'.");
                    }
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new ConfigException("flag needs an argument: " + name);
                        }
                        value = args.get(++i);
                    }
                    switch (key) {
                        case "hosts" -> hosts.add(value);
                        case "config-file" -> configFile = Path.of(value);
                        case "mtu" -> options.put(key, parseNumber(name, value));
                        default -> options.put(key, TextNode.valueOf(value));
                    }
                }
            }
        }
        if (!hosts.isEmpty()) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            hosts.forEach(list::add);
            options.put("hosts", list);
        }
        return new DaemonFlags(Map.copyOf(options), Optional.ofNullable(configFile), action);
    }

    private static boolean parseBool(String flag, String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new ConfigException("invalid argument \"" + value + "\" for \"" + flag + "\" flag: use true or false");
    }

    private static JsonNode parseNumber(String flag, String value) {
        if (!value.matches("[0-9]{1,9}")) {
            throw new ConfigException("invalid argument \"" + value + "\" for \"" + flag + "\" flag: not a number");
        }
        return IntNode.valueOf(Integer.parseInt(value));
    }
}
