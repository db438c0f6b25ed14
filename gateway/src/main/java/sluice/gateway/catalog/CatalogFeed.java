package sluice.gateway.catalog;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import sluice.catalog.grant.GrantStore;
import sluice.catalog.store.CatalogStore;
import sluice.catalog.store.Database;
import sluice.gateway.Transport;

/**
 * Feeds the hub's publisher from its catalogue database: polls for changes (a new entry version,
 * a grant issued or revoked) every {@code interval} and publishes a new snapshot when there is
 * one, so a revocation reaches every gateway within about one interval plus delivery.
 */
public final class CatalogFeed implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CatalogFeed.class.getName());

  private final Database db;
  private final CatalogStore catalog;
  private final GrantStore grants;
  private final CatalogPublisher publisher;
  private final ScheduledExecutorService poller;
  private String seen;
  private boolean failing;

  public CatalogFeed(Database db, CatalogStore catalog, GrantStore grants, CatalogPublisher publisher) {
    this.db = db;
    this.catalog = catalog;
    this.grants = grants;
    this.publisher = publisher;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(Transport.daemonThreads("sluice-catalog-feed"));
  }

  /** Publishes the current state now, then polls every {@code interval}. */
  public CatalogFeed start(Duration interval) {
    poll();
    poller.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Looks for changes now rather than at the next poll (after a change made through this hub). */
  public void changed() {
    try {
      poller.execute(this::poll);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed: nothing left to publish to.
    }
  }

  private void poll() {
    try {
      String marker = db.changeMarker();
      if (!marker.equals(seen)) {
        long version = publisher.publish(catalog.list(CatalogStore.Filter.ALL), grants.grants(""));
        seen = marker;
        LOG.log(Level.DEBUG, "published catalogue snapshot " + version);
      }
      if (failing) {
        failing = false;
        LOG.log(Level.INFO, "catalogue feed: the database answers again");
      }
    } catch (RuntimeException e) {
      // Gateways keep enforcing the last snapshot meanwhile; said once per outage, not every poll.
      if (!failing) {
        LOG.log(Level.WARNING, "catalogue feed: " + e.getMessage() + "; gateways keep the last snapshot until it answers");
      }
      failing = true;
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
