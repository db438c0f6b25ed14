package sluice.nodes.run;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import sluice.catalog.grant.AccessService;
import sluice.catalog.snapshot.SnapshotSigner;
import sluice.catalog.store.Database;
import sluice.catalog.store.JdbcCatalogStore;
import sluice.catalog.store.JdbcGrantStore;
import sluice.crypto.NodeId;
import sluice.crypto.Sm2;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.catalog.CatalogFeed;
import sluice.gateway.catalog.CatalogPublisher;
import sluice.gateway.catalog.CatalogOperations;
import sluice.gateway.catalog.HubCatalogService;
import sluice.nodes.config.NodeConfig;

/**
 * The national hub's catalogue: its database, the stewards' CatalogService that changes it, the
 * publisher, and the feed between them.
 */
final class HubCatalog implements AutoCloseable {
  /** How often the hub looks for changes made to its database by other means (the CLI). */
  static final Duration POLL = Duration.ofMillis(200);

  private final Database db;
  private final CatalogPublisher publisher;
  private final CatalogFeed feed;
  private final HubCatalogService stewardService;

  private HubCatalog(Database db, CatalogPublisher publisher, CatalogFeed feed, HubCatalogService stewardService) {
    this.db = db;
    this.publisher = publisher;
    this.feed = feed;
    this.stewardService = stewardService;
  }

  static HubCatalog open(NodeConfig.Resolved config, NodeCredentials hub) {
    String where = config.catalogDatabase();
    Database db =
        where.startsWith("jdbc:")
            ? Database.open(where, config.catalogUser(), System.getenv().getOrDefault("SLUICE_DB_PASSWORD", ""))
            : Database.h2(Path.of(where));
    try {
      Clock clock = Clock.systemUTC();
      CatalogPublisher publisher =
          new CatalogPublisher(new SnapshotSigner(Sm2.signer(hub.signingKey()), hub.signingChain()), clock);
      JdbcCatalogStore catalog = new JdbcCatalogStore(db, clock);
      JdbcGrantStore grants = new JdbcGrantStore(db);
      CatalogFeed feed = new CatalogFeed(db, catalog, grants, publisher).start(POLL);
      CatalogOperations operations =
          new CatalogOperations(
              catalog, grants, new AccessService(catalog, grants, clock, new SecureRandom()), feed::changed, clock);
      HubCatalogService service = new HubCatalogService(NodeId.NATIONAL, operations, publisher);
      return new HubCatalog(db, publisher, feed, service);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  CatalogPublisher publisher() {
    return publisher;
  }

  HubCatalogService stewardService() {
    return stewardService;
  }

  @Override
  public void close() {
    feed.close();
    db.close();
  }
}
