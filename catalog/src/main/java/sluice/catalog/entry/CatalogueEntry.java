package sluice.catalog.entry;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import sluice.catalog.FieldSpec;
import sluice.catalog.ResourceDescriptor;

/**
 * A government information resource catalogue entry (GB/T 21063; 政务数据资源目录编制指南): what a
 * department offers, how each field is classified, and on what terms it is shared.
 *
 * <p>Obtain entries through {@link CatalogueEntries}, which returns only entries that passed
 * every validation rule; a record built directly is not checked.
 */
public record CatalogueEntry(
    String resourceCode,
    String name,
    String category,
    Provider provider,
    String summary,
    ResourceFormat format,
    SharingType sharingType,
    SharingConditions sharingConditions,
    String legalBasis,
    OpenType openType,
    UpdateCycle updateCycle,
    LocalDate publishedOn,
    LocalDate updatedOn,
    String subjectKey,
    int version,
    EntryStatus status,
    LocalDate sunsetOn,
    String steward,
    List<FieldEntry> fields) {

  public CatalogueEntry {
    fields = fields == null ? List.of() : List.copyOf(fields);
    sharingConditions = sharingConditions == null ? SharingConditions.NONE : sharingConditions;
  }

  /** The resource's level: its most protected field's. */
  public Classification level() {
    return fields.stream()
        .map(FieldEntry::level)
        .filter(l -> l != null)
        .max(Comparator.naturalOrder())
        .orElse(Classification.L1);
  }

  /** Core data is registered so that it is known, but never served. */
  public boolean isServable() {
    return level() != Classification.CORE && sharingType != SharingType.NOT_SHARED;
  }

  public Optional<FieldEntry> field(String fieldName) {
    return fields.stream().filter(f -> fieldName.equals(f.name())).findFirst();
  }

  /** What routing and predicate evaluation need from this entry. */
  public ResourceDescriptor descriptor() {
    return new ResourceDescriptor(
        resourceCode,
        name,
        provider.node(),
        subjectKey,
        fields.stream().map(f -> new FieldSpec(f.name(), f.type())).toList());
  }

  /** This entry as version {@code v}. */
  public CatalogueEntry withVersion(int v) {
    return new CatalogueEntry(
        resourceCode, name, category, provider, summary, format, sharingType, sharingConditions,
        legalBasis, openType, updateCycle, publishedOn, updatedOn, subjectKey, v, status, sunsetOn,
        steward, fields);
  }

  /** This entry deprecated, refusing calls after {@code sunset}. */
  public CatalogueEntry deprecated(LocalDate sunset) {
    return new CatalogueEntry(
        resourceCode, name, category, provider, summary, format, sharingType, sharingConditions,
        legalBasis, openType, updateCycle, publishedOn, updatedOn, subjectKey, version,
        EntryStatus.DEPRECATED, sunset, steward, fields);
  }
}
