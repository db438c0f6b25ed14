package sluice.gateway.audit;

import sluice.crypto.NodeId;
import sluice.gateway.NodeAddresses;

/**
 * Which audit log: a gateway's, or one instance's of a gateway run as several instances (each
 * keeps a log of its own, witnessed on its own, so that no two processes append to one tree).
 *
 * @param node the gateway
 * @param instance the instance's name, or {@link NodeAddresses#SOLE} for a gateway run as one
 */
public record LogName(NodeId node, String instance) {
  private static final String PREFIX = "sluice.audit/";

  public LogName {
    if (!instance.equals(NodeAddresses.SOLE)) {
      NodeAddresses.checkInstanceName(instance);
    }
  }

  /** The log of a gateway run as one instance. */
  public static LogName of(NodeId node) {
    return new LogName(node, NodeAddresses.SOLE);
  }

  /** The checkpoint origin: {@code sluice.audit/prov-44}, or {@code sluice.audit/prov-44@b} for instance b. */
  public String origin() {
    return PREFIX + key();
  }

  /** The log's key in the audit index and in file names: {@code prov-44} or {@code prov-44@b}. */
  public String key() {
    return instance.isEmpty() ? node.toString() : node + "@" + instance;
  }

  /** A file name for the log: {@link NodeId#fileName()}, with {@code @instance} for an instance. */
  public String fileName() {
    return instance.isEmpty() ? node.fileName() : node.fileName() + "@" + instance;
  }

  /**
   * The log a checkpoint origin names.
   *
   * @throws IllegalArgumentException when it names none
   */
  public static LogName fromOrigin(String origin) {
    if (!origin.startsWith(PREFIX)) {
      throw new IllegalArgumentException("\"" + origin + "\" is not the origin of a Sluice audit log");
    }
    return fromKey(origin.substring(PREFIX.length()));
  }

  /**
   * The log an index key names ({@link #key()}).
   *
   * @throws IllegalArgumentException when it names none
   */
  public static LogName fromKey(String key) {
    int at = key.indexOf('@');
    return at < 0 ? of(NodeId.parse(key)) : new LogName(NodeId.parse(key.substring(0, at)), key.substring(at + 1));
  }

  @Override
  public String toString() {
    return key();
  }
}
