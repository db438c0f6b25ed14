package sluice.nodes.run;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import sluice.catalog.snapshot.SnapshotSigner;
import sluice.catalog.store.Database;
import sluice.catalog.store.JdbcCatalogStore;
import sluice.catalog.store.JdbcGrantStore;
import sluice.crypto.Sm2;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.catalog.CatalogFeed;
import sluice.gateway.catalog.CatalogPublisher;
import sluice.nodes.config.NodeConfig;

/** The national hub's catalogue: its database, the publisher and the feed between them. */
final class HubCatalog implements AutoCloseable {
  /** How often the hub looks for catalogue and grant changes. */
  static final Duration POLL = Duration.ofMillis(200);

  private final Database db;
  private final CatalogPublisher publisher;
  private final CatalogFeed feed;

  private HubCatalog(Database db, CatalogPublisher publisher, CatalogFeed feed) {
    this.db = db;
    this.publisher = publisher;
    this.feed = feed;
  }

  static HubCatalog open(NodeConfig.Resolved config, NodeCredentials hub) {
    String where = config.catalogDatabase();
    Database db =
        where.startsWith("jdbc:")
            ? Database.open(where, config.catalogUser(), System.getenv().getOrDefault("SLUICE_DB_PASSWORD", ""))
            : Database.h2(Path.of(where));
    try {
      CatalogPublisher publisher =
          new CatalogPublisher(new SnapshotSigner(Sm2.signer(hub.signingKey()), hub.signingChain()), Clock.systemUTC());
      CatalogFeed feed =
          new CatalogFeed(db, new JdbcCatalogStore(db, Clock.systemUTC()), new JdbcGrantStore(db), publisher).start(POLL);
      return new HubCatalog(db, publisher, feed);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  CatalogPublisher publisher() {
    return publisher;
  }

  @Override
  public void close() {
    feed.close();
    db.close();
  }
}
