package sluice.catalog;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resources a node knows about, by code. Gateways consult it to route and to refuse
 * questions about resources nobody registered. Implementations are thread-safe.
 */
public interface ResourceCatalog {

  Optional<ResourceDescriptor> find(String resourceCode);

  /** Every resource, in a stable order. */
  List<ResourceDescriptor> all();

  /** An immutable catalogue of {@code resources}; codes must be unique. */
  static ResourceCatalog of(Collection<ResourceDescriptor> resources) {
    Map<String, ResourceDescriptor> byCode = new LinkedHashMap<>();
    for (ResourceDescriptor r : resources) {
      if (byCode.putIfAbsent(r.code(), r) != null) {
        throw new IllegalArgumentException("resource code " + r.code() + " registered twice");
      }
    }
    Map<String, ResourceDescriptor> frozen = Map.copyOf(byCode);
    List<ResourceDescriptor> ordered = List.copyOf(byCode.values());
    return new ResourceCatalog() {
      @Override
      public Optional<ResourceDescriptor> find(String resourceCode) {
        return Optional.ofNullable(frozen.get(resourceCode));
      }

      @Override
      public List<ResourceDescriptor> all() {
        return ordered;
      }
    };
  }
}
