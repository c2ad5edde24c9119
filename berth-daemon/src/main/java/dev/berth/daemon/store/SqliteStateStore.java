package dev.berth.daemon.store;

import dev.berth.core.errors.InternalException;
import dev.berth.core.model.Endpoint;
import dev.berth.core.model.EndpointId;
import dev.berth.core.model.Network;
import dev.berth.core.model.NetworkId;
import dev.berth.core.model.Sandbox;
import dev.berth.core.model.SandboxCommand;
import dev.berth.core.model.SandboxId;
import dev.berth.core.spi.StateStore;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.sqlite.JDBC;

/**
 * The state store in one SQLite file under the data root. One connection, every public method one
 * transaction (auto-commit statements or an explicit transaction), serialised by the monitor.
 *
 * <p>WAL journal with {@code synchronous=NORMAL}: a committed change survives a crash of the
 * daemon (SIGKILL at any point); after a power loss the last transactions may be rolled back, and
 * start-up then converges kernel state to what the store holds.
 */
public final class SqliteStateStore implements StateStore {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS networks (id TEXT PRIMARY KEY, name TEXT NOT NULL, body TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS retired_networks (id TEXT PRIMARY KEY, body TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS sandboxes (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS endpoints (id TEXT PRIMARY KEY, sandbox TEXT NOT NULL, network TEXT NOT NULL,
                body TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS commands (sandbox TEXT PRIMARY KEY, body TEXT NOT NULL);
            """;
    private final Connection connection;
    private final NetworkCodec codec = new NetworkCodec();
    private final SandboxCodec sandboxCodec = new SandboxCodec();

    private SqliteStateStore(Connection connection) {
        this.connection = connection;
    }

    /**
     * Opens (creating if needed) the database file and its schema. The driver's native library is
     * kept beside it, in {@code lib/} ({@link SqliteNativeLibrary}).
     */
    public static SqliteStateStore open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            SqliteNativeLibrary.install(file.toAbsolutePath().getParent().resolve("lib"));
            // The store is the daemon's alone: 0600 (SQLite gives its -wal and -shm files the same mode).
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            // the driver itself, not DriverManager, which would first look for drivers on the whole class path
            Connection c = JDBC.createConnection(JDBC.PREFIX + file.toAbsolutePath(), new Properties());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
                for (String ddl : SCHEMA.split(";")) {
                    if (!ddl.isBlank()) {
                        s.execute(ddl);
                    }
                }
            }
            return new SqliteStateStore(c);
        } catch (SQLException | java.io.IOException e) {
            throw new InternalException("open state store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<Network> networks() {
        return bodies("read networks", "SELECT body FROM networks ORDER BY name").stream().map(codec::decode).toList();
    }

    @Override
    public synchronized void putNetwork(Network network) {
        update("store network " + network.name(),
                "INSERT OR REPLACE INTO networks (id, name, body) VALUES (?, ?, ?)",
                network.id().value(), network.name(), codec.encode(network));
    }

    @Override
    public synchronized void putNetwork(Network network, Collection<Endpoint> endpoints) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("INSERT OR REPLACE INTO networks (id, name, body) VALUES (?, ?, ?)",
                network.id().value(), network.name(), codec.encode(network)));
        for (Endpoint endpoint : endpoints) {
            steps.add(endpointStep(endpoint));
        }
        transaction("store network " + network.name() + " with " + endpoints.size() + " re-addressed endpoints",
                steps.toArray(Step[]::new));
    }

    @Override
    public synchronized void deleteNetwork(NetworkId id) {
        update("delete network " + id.shortId(), "DELETE FROM networks WHERE id = ?", id.value());
    }

    @Override
    public synchronized void retireNetwork(Network network) {
        transaction("retire network " + network.name(),
                new Step("DELETE FROM networks WHERE id = ?", network.id().value()),
                new Step("INSERT OR REPLACE INTO retired_networks (id, body) VALUES (?, ?)", network.id().value(),
                        codec.encode(network)));
    }

    @Override
    public synchronized List<Network> retired() {
        return bodies("read retired networks", "SELECT body FROM retired_networks").stream().map(codec::decode).toList();
    }

    @Override
    public synchronized void forgetRetired(NetworkId id) {
        update("forget retired network " + id.shortId(), "DELETE FROM retired_networks WHERE id = ?", id.value());
    }

    @Override
    public synchronized List<Sandbox> sandboxes() {
        return bodies("read sandboxes", "SELECT body FROM sandboxes ORDER BY name").stream()
                .map(sandboxCodec::decodeSandbox).toList();
    }

    @Override
    public synchronized void putSandbox(Sandbox sandbox) {
        update("store sandbox " + sandbox.name(), "INSERT OR REPLACE INTO sandboxes (id, name, body) VALUES (?, ?, ?)",
                sandbox.id().value(), sandbox.name(), sandboxCodec.encode(sandbox));
    }

    @Override
    public synchronized void putSandbox(Sandbox sandbox, SandboxCommand command) {
        transaction("store sandbox " + sandbox.name() + " with its command",
                new Step("INSERT OR REPLACE INTO sandboxes (id, name, body) VALUES (?, ?, ?)",
                        sandbox.id().value(), sandbox.name(), sandboxCodec.encode(sandbox)),
                new Step("INSERT OR REPLACE INTO commands (sandbox, body) VALUES (?, ?)", sandbox.id().value(),
                        sandboxCodec.encode(command)));
    }

    @Override
    public synchronized void deleteSandbox(SandboxId id) {
        transaction("delete sandbox " + id.shortId(),
                new Step("DELETE FROM endpoints WHERE sandbox = ?", id.value()),
                new Step("DELETE FROM commands WHERE sandbox = ?", id.value()),
                new Step("DELETE FROM sandboxes WHERE id = ?", id.value()));
    }

    @Override
    public synchronized List<SandboxCommand> commands() {
        return bodies("read commands", "SELECT body FROM commands ORDER BY sandbox").stream()
                .map(sandboxCodec::decodeCommand).toList();
    }

    @Override
    public synchronized void putCommand(SandboxCommand command) {
        update("store command of sandbox " + command.sandbox().shortId(),
                "INSERT OR REPLACE INTO commands (sandbox, body) VALUES (?, ?)", command.sandbox().value(),
                sandboxCodec.encode(command));
    }

    @Override
    public synchronized List<Endpoint> endpoints() {
        return bodies("read endpoints", "SELECT body FROM endpoints ORDER BY id").stream()
                .map(sandboxCodec::decodeEndpoint).toList();
    }

    @Override
    public synchronized void putEndpoint(Endpoint endpoint) {
        Step step = endpointStep(endpoint);
        update("store endpoint " + endpoint.id().shortId(), step.sql(), step.args());
    }

    private Step endpointStep(Endpoint endpoint) {
        return new Step("INSERT OR REPLACE INTO endpoints (id, sandbox, network, body) VALUES (?, ?, ?, ?)",
                endpoint.id().value(), endpoint.sandboxId().value(), endpoint.networkId().value(),
                sandboxCodec.encode(endpoint));
    }

    @Override
    public synchronized void deleteEndpoint(EndpointId id) {
        update("delete endpoint " + id.shortId(), "DELETE FROM endpoints WHERE id = ?", id.value());
    }

    /** One statement of a {@link #transaction}: SQL with string parameters. */
    private record Step(String sql, String... args) {
    }

    /** Runs the steps as one transaction: all of them or, on any failure, none. */
    private void transaction(String action, Step... steps) {
        try {
            connection.setAutoCommit(false);
            try {
                for (Step step : steps) {
                    try (PreparedStatement s = connection.prepareStatement(step.sql())) {
                        for (int i = 0; i < step.args().length; i++) {
                            s.setString(i + 1, step.args()[i]);
                        }
                        s.executeUpdate();
                    }
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(action, e);
        }
    }

    private List<String> bodies(String action, String sql) {
        List<String> out = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw failure(action, e);
        }
    }

    @Override
    public synchronized Optional<String> setting(String key) {
        try (PreparedStatement s = connection.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read setting " + key, e);
        }
    }

    @Override
    public synchronized void putSetting(String key, String value) {
        update("store setting " + key, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", key, value);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close state store", e);
        }
    }

    private void update(String action, String sql, String... args) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure(action, e);
        }
    }

    private static InternalException failure(String action, SQLException e) {
        return new InternalException(action + ": " + e.getMessage(), e);
    }
}
