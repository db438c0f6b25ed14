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
 *   prov-11:                  # a gateway run as several instances: instance name -> address;
 *     a: 10.1.0.11:7411       #   callers spread calls round robin over those up and serving
 *     b: 10.1.0.12:7411
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
public record FederationFile(Map<String, Object> nodes, List<Resource> resources) {

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
    Map<String, Object> nodes = new LinkedHashMap<>();
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

  /** The file as written, not yet checked (to edit and write back). */
  public static FederationFile read(Path file) throws ConfigException {
    return Yaml.read(file, FederationFile.class);
  }

  /** This file with {@code node} run as the instances {@code byName} (instance name -> address). */
  public FederationFile withInstances(NodeId node, Map<String, InetSocketAddress> byName) {
    Map<String, String> named = new LinkedHashMap<>();
    byName.forEach((name, address) -> named.put(name, NodeConfig.hostPort(address)));
    Map<String, Object> changed = new LinkedHashMap<>(nodes);
    changed.put(node.toString(), named);
    return new FederationFile(changed, resources);
  }

  public void write(Path file) throws IOException {
    Yaml.write(file, this);
  }

  private Directory toDirectory(Path file) throws ConfigException {
    if (nodes == null || nodes.isEmpty()) {
      throw new ConfigException(file + ": nodes: no node addresses");
    }
    Map<NodeId, Map<String, InetSocketAddress>> addresses = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : nodes.entrySet()) {
      NodeId id;
      String at = file + ": nodes." + e.getKey();
      try {
        id = NodeId.parse(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(at + ": " + ex.getMessage());
      }
      Map<String, InetSocketAddress> instances = new LinkedHashMap<>();
      if (e.getValue() instanceof Map<?, ?> named) {
        if (named.isEmpty()) {
          throw new ConfigException(at + ": no instances; give host:port, or instance: host:port for each instance");
        }
        for (Map.Entry<?, ?> i : named.entrySet()) {
          String name = String.valueOf(i.getKey());
          if (!NodeAddresses.isInstanceName(name)) {
            throw new ConfigException(at + "." + name + ": not an instance name (" + NodeAddresses.INSTANCE_NAME_RULE
                + ")");
          }
          if (!(i.getValue() instanceof String text)) {
            throw new ConfigException(at + "." + name + ": give the instance's address as host:port");
          }
          instances.put(name, NodeConfig.parseAddress(text, at + "." + name));
        }
      } else if (e.getValue() instanceof String text) {
        instances.put(NodeAddresses.SOLE, NodeConfig.parseAddress(text, at));
      } else {
        throw new ConfigException(at + ": give host:port, or instance: host:port for each instance");
      }
      addresses.put(id, instances);
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
      return new Directory(NodeAddresses.ofInstances(addresses), ResourceCatalog.of(descriptors));
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
