package sluice.nodes.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sluice.catalog.FieldSpec;
import sluice.catalog.FieldType;
import sluice.catalog.ResourceCatalog;
import sluice.catalog.ResourceDescriptor;
import sluice.crypto.NodeId;
import sluice.gateway.NodeAddresses;

/**
 * The federation directory file ({@code federation.yaml}): where every node listens and which
 * department provides which resource. Every node reads the same file; the hub uses it to route
 * between provinces, gateways to route to their departments and to refuse unknown resources.
 *
 * <pre>
 * nodes:
 *   national: 127.0.0.1:7400
 *   prov-44: 127.0.0.1:7444
 *   prov-44/dept-hrss: 127.0.0.1:7501
 * resources:
 *   - code: 3-44-002-001-000001
 *     name: Social insurance enrolment (Guangdong)
 *     provider: prov-44/dept-hrss
 *     subjectKey: id_number
 *     fields:
 *       - {name: id_number, type: STRING}
 * </pre>
 */
public record FederationFile(Map<String, String> nodes, List<Resource> resources) {

  /** One resource entry. */
  public record Resource(
      String code, String name, String provider, String subjectKey, List<Field> fields) {}

  /** One field entry. */
  public record Field(String name, String type) {}

  /** A loaded, checked federation directory. */
  public record Directory(NodeAddresses addresses, ResourceCatalog catalog) {}

  public static Directory load(Path file) throws ConfigException {
    return Yaml.read(file, FederationFile.class).toDirectory(file);
  }

  public static FederationFile of(
      Map<NodeId, InetSocketAddress> addresses, List<ResourceDescriptor> resources) {
    Map<String, String> nodes = new LinkedHashMap<>();
    addresses.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> nodes.put(e.getKey().toString(), NodeConfig.hostPort(e.getValue())));
    List<Resource> rs = new ArrayList<>();
    for (ResourceDescriptor r : resources) {
      rs.add(
          new Resource(
              r.code(),
              r.name(),
              r.provider().toString(),
              r.subjectKeyField(),
              r.fields().stream().map(f -> new Field(f.name(), f.type().name())).toList()));
    }
    return new FederationFile(nodes, rs);
  }

  public void write(Path file) throws IOException {
    Yaml.write(file, this);
  }

  private Directory toDirectory(Path file) throws ConfigException {
    if (nodes == null || nodes.isEmpty()) {
      throw new ConfigException(file + ": nodes: no node addresses");
    }
    Map<NodeId, InetSocketAddress> addresses = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : nodes.entrySet()) {
      NodeId id;
      try {
        id = NodeId.parse(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(file + ": nodes." + e.getKey() + ": " + ex.getMessage());
      }
      addresses.put(id, NodeConfig.parseAddress(e.getValue(), file + ": nodes." + e.getKey()));
    }
    List<ResourceDescriptor> descriptors = new ArrayList<>();
    List<Resource> list = resources == null ? List.of() : resources;
    for (int i = 0; i < list.size(); i++) {
      Resource r = list.get(i);
      String at = file + ": resources[" + i + "]";
      try {
        List<FieldSpec> fields = new ArrayList<>();
        List<Field> fs = r.fields() == null ? List.of() : r.fields();
        for (int j = 0; j < fs.size(); j++) {
          fields.add(new FieldSpec(fs.get(j).name(), fieldType(fs.get(j).type(), at + ".fields[" + j + "].type")));
        }
        descriptors.add(
            new ResourceDescriptor(
                r.code(), r.name(), NodeId.parse(String.valueOf(r.provider())), r.subjectKey(), fields));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new ConfigException(at + ": " + e.getMessage());
      }
    }
    try {
      return new Directory(new NodeAddresses(addresses), ResourceCatalog.of(descriptors));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": resources: " + e.getMessage());
    }
  }

  private static FieldType fieldType(String text, String at) {
    try {
      return FieldType.valueOf(String.valueOf(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          at + ": unknown value \"" + text + "\" (one of STRING, INTEGER, DECIMAL, DATE, BOOLEAN)");
    }
  }
}
