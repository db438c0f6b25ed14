package sluice.gateway;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sluice.crypto.NodeId;

/**
 * Where each federation node listens: one address, or one per instance for a node run as several
 * instances (a provincial gateway scaled out behind client-side load balancing). Immutable.
 */
public final class NodeAddresses {
  /** The instance name of a node that runs as one instance. */
  public static final String SOLE = "";

  private static final java.util.regex.Pattern INSTANCE = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,15}");

  private final Map<NodeId, Map<String, InetSocketAddress>> instances;

  /** What an instance name may be, for messages. */
  public static final String INSTANCE_NAME_RULE = "1 to 16 of a-z, 0-9 and '-', not starting with '-'";

  /** Whether {@code name} may name an instance ({@link #INSTANCE_NAME_RULE}). */
  public static boolean isInstanceName(String name) {
    return name != null && INSTANCE.matcher(name).matches();
  }

  /**
   * {@code name}, when it may name an instance.
   *
   * @throws IllegalArgumentException saying what an instance name may be
   */
  public static String checkInstanceName(String name) {
    if (!isInstanceName(name)) {
      throw new IllegalArgumentException("\"" + name + "\" is not an instance name (" + INSTANCE_NAME_RULE + ")");
    }
    return name;
  }

  private NodeAddresses(Map<NodeId, Map<String, InetSocketAddress>> instances) {
    Map<NodeId, Map<String, InetSocketAddress>> m = new LinkedHashMap<>();
    instances.forEach((node, byName) -> {
      if (byName.isEmpty()) {
        throw new IllegalArgumentException(node + " has no address");
      }
      for (String name : byName.keySet()) {
        if (!(name.equals(SOLE) && byName.size() == 1)) {
          try {
            checkInstanceName(name);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node + ": " + e.getMessage() + "; each of several instances needs one");
          }
        }
      }
      m.put(node, Collections.unmodifiableMap(new LinkedHashMap<>(byName)));
    });
    this.instances = Map.copyOf(m);
  }

  /** One address per node, each node run as one instance. */
  public static NodeAddresses single(Map<NodeId, InetSocketAddress> addresses) {
    Map<NodeId, Map<String, InetSocketAddress>> m = new LinkedHashMap<>();
    addresses.forEach((node, a) -> m.put(node, Map.of(SOLE, a)));
    return new NodeAddresses(m);
  }

  /**
   * Nodes and their instances' addresses by instance name ({@link #SOLE} for a node run as one
   * instance).
   *
   * @throws IllegalArgumentException when a node has no address, or several with one unnamed
   */
  public static NodeAddresses ofInstances(Map<NodeId, Map<String, InetSocketAddress>> instances) {
    return new NodeAddresses(instances);
  }

  /** Every address of {@code node} (one per instance, in the federation file's order); empty when unknown. */
  public List<InetSocketAddress> of(NodeId node) {
    Map<String, InetSocketAddress> byName = instances.get(node);
    return byName == null ? List.of() : List.copyOf(byName.values());
  }

  /** The address of instance {@code name} of {@code node} ({@link #SOLE} for a node run as one). */
  public Optional<InetSocketAddress> of(NodeId node, String name) {
    Map<String, InetSocketAddress> byName = instances.get(node);
    return Optional.ofNullable(byName == null ? null : byName.get(name));
  }

  /** The instances of {@code node} by name, in the federation file's order; empty when unknown. */
  public Map<String, InetSocketAddress> instances(NodeId node) {
    return instances.getOrDefault(node, Map.of());
  }
}
