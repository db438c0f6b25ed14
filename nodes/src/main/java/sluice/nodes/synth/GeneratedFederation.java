package sluice.nodes.synth;

import java.util.List;
import java.util.Optional;

/**
 * What {@link SyntheticData#generate} wrote.
 *
 * @param resources every generated resource, ordered by provider node id: by province code, then
 *     by department name (ca, hrss, psb, samr, tax)
 */
public record GeneratedFederation(List<GeneratedResource> resources) {

  public GeneratedFederation {
    resources = List.copyOf(resources);
  }

  /** The resource with code {@code code}, e.g. {@code 3-44-002-001-000001}. */
  public Optional<GeneratedResource> resource(String code) {
    return resources.stream().filter(r -> r.descriptor().code().equals(code)).findFirst();
  }
}
