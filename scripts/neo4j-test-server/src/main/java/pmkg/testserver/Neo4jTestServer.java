/*
 * Neo4jTestServer: a throwaway Neo4j 5.26 LTS Community database for pmkg's test suite.
 *
 * Runs Neo4j embedded (DatabaseManagementServiceBuilder) with only the Bolt connector on
 * 127.0.0.1, keeps its data and logs in a fresh temporary folder, and prints exactly one
 * line to stdout when ready:  BOLT_URI=bolt://127.0.0.1:PORT
 * Everything else goes to stderr or to <temp>/logs. SIGTERM/SIGINT shut the database down
 * and delete the temporary folder. Started by scripts/neo4j-test-server.sh.
 *
 * Port:     first argument, else env NEO4J_TEST_PORT, else 0 (a free port chosen by the OS).
 * Auth:     off, unless env NEO4J_TEST_PASSWORD is set (user "neo4j", at least 8 characters).
 * Memory:   page cache from env NEO4J_TEST_PAGECACHE (default 256m); heap is set by the caller.
 */
package pmkg.testserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

public final class Neo4jTestServer {
    private static volatile DatabaseManagementService service;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : env("NEO4J_TEST_PORT", "0"));
        String password = System.getenv("NEO4J_TEST_PASSWORD");
        long pageCache = ByteUnit.parse(env("NEO4J_TEST_PAGECACHE", "256m"));

        Path home = Files.createTempDirectory("pmkg-neo4j-test-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(home), "neo4j-test-server-shutdown"));
        System.err.println("neo4j-test-server: home " + home + " (logs in " + home.resolve("logs") + ")");

        boolean auth = password != null && !password.isEmpty();
        service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false) // no usage reports sent out
                // Bolt's netty waits for 5 s of quiet on shutdown by default; a test server need not
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();

        if (auth) { // embedded transactions bypass auth, so we can set the password directly
            service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", java.util.Map.of("pw", password));
        }

        GraphDatabaseAPI db = (GraphDatabaseAPI) service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1"); // fail here, not in the first test, if the database is broken
        int boundPort = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT).getPort();

        System.out.println("BOLT_URI=bolt://127.0.0.1:" + boundPort);
        System.out.flush();
        new CountDownLatch(1).await(); // serve until a signal runs the shutdown hook
    }

    private static void stop(Path home) {
        long t0 = System.nanoTime();
        DatabaseManagementService s = service;
        service = null;
        try {
            if (s != null) s.shutdown(); // includes a final checkpoint: slower after big writes
        } catch (Throwable t) {
            System.err.println("neo4j-test-server: shutdown failed: " + t);
        }
        long t1 = System.nanoTime();
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("neo4j-test-server: could not delete " + home + ": " + e);
        }
        System.err.printf("neo4j-test-server: stopped (shutdown %d ms, delete %d ms), deleted %s%n",
                (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000, home);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }
}
