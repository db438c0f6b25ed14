package sluice.catalog.store;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.EntryStatus;

/**
 * Where a gateway keeps catalogue entries. Every change makes a new version; old versions stay
 * readable. Implementations are thread-safe and durable once a method returns.
 */
public interface CatalogStore extends AutoCloseable {

  /**
   * Registers a new resource as version 1 (the entry's own version number is replaced).
   *
   * @throws CatalogConflictException if the code is already registered
   */
  CatalogueEntry register(CatalogueEntry entry) throws CatalogConflictException;

  /**
   * Stores a change as the next version.
   *
   * @param basedOn the version the steward edited; refused if another change came in between
   * @throws CatalogConflictException if the resource is unknown or {@code basedOn} is not current
   */
  CatalogueEntry update(CatalogueEntry entry, int basedOn) throws CatalogConflictException;

  /**
   * Marks the resource deprecated as a new version: no new grants; calls refused after
   * {@code sunsetOn}.
   */
  CatalogueEntry deprecate(String resourceCode, LocalDate sunsetOn) throws CatalogConflictException;

  /** The current version. */
  Optional<CatalogueEntry> get(String resourceCode);

  /** A given version. */
  Optional<CatalogueEntry> get(String resourceCode, int version);

  /** Every version, oldest first. */
  List<CatalogueEntry> history(String resourceCode);

  /** The current version of every resource matching the filter, ordered by code. */
  List<CatalogueEntry> list(Filter filter);

  /**
   * What {@link #list} returns; null fields do not filter.
   *
   * @param providerPrefix node id prefix, e.g. {@code prov-44} or {@code prov-44/dept-hrss}
   */
  record Filter(String providerPrefix, EntryStatus status) {
    public static final Filter ALL = new Filter(null, null);
  }

  @Override
  void close();
}
