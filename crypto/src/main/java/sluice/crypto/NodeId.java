package sluice.crypto;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identity of a federation node: {@code national}, {@code prov-CC} or
 * {@code prov-CC/dept-NAME}. Node ids appear in certificates as URI SANs
 * ({@code sluice://prov-44/dept-hrss}); a node id is only ever trusted when it comes from a
 * verified certificate.
 *
 * <p>Immutable and thread-safe.
 */
public final class NodeId implements Comparable<NodeId> {

  /** Where a node sits in the 1+32+N federation. */
  public enum Role {
    HUB,
    PROVINCE,
    DEPARTMENT
  }

  public static final String URI_SCHEME = "sluice";
  public static final NodeId NATIONAL = new NodeId(Role.HUB, null, null);

  private static final Pattern SYNTAX =
      Pattern.compile("prov-(\\d{2})(?:/dept-([a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?))?");

  private final Role role;
  private final Province province;
  private final String department;

  private NodeId(Role role, Province province, String department) {
    this.role = role;
    this.province = province;
    this.department = department;
  }

  public static NodeId province(Province province) {
    return new NodeId(Role.PROVINCE, Objects.requireNonNull(province, "province"), null);
  }

  /** A department node id; {@code name} is the part after {@code dept-}, e.g. {@code hrss}. */
  public static NodeId department(Province province, String name) {
    NodeId id = parse("prov-" + province.codeString() + "/dept-" + name);
    return id;
  }

  /**
   * Parses a node id.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static NodeId parse(String text) {
    Objects.requireNonNull(text, "node id");
    if (text.equals("national")) {
      return NATIONAL;
    }
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a node id: \"" + text + "\" (expected national, prov-CC or prov-CC/dept-NAME with"
              + " NAME of lower-case letters, digits and '-')");
    }
    int code = Integer.parseInt(m.group(1));
    Province province =
        Province.ofCode(code)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "not a node id: \"" + text + "\": " + m.group(1)
                            + " is not a GB/T 2260 province code of the federation"));
    return m.group(2) == null
        ? new NodeId(Role.PROVINCE, province, null)
        : new NodeId(Role.DEPARTMENT, province, m.group(2));
  }

  /** Parses {@code sluice://...}; empty when the URI is not a well-formed Sluice node URI. */
  public static Optional<NodeId> fromUri(String uri) {
    String prefix = URI_SCHEME + "://";
    if (uri == null || !uri.startsWith(prefix)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(uri.substring(prefix.length())));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public Role role() {
    return role;
  }

  /** The province this node belongs to; empty for the national hub. */
  public Optional<Province> provinceOf() {
    return Optional.ofNullable(province);
  }

  /** The department name (after {@code dept-}); empty unless this is a department. */
  public Optional<String> departmentName() {
    return Optional.ofNullable(department);
  }

  /** The provincial gateway responsible for this node (itself for a gateway); empty for the hub. */
  public Optional<NodeId> gateway() {
    return province == null ? Optional.empty() : Optional.of(province(province));
  }

  public boolean isHub() {
    return role == Role.HUB;
  }

  public boolean isProvince() {
    return role == Role.PROVINCE;
  }

  public boolean isDepartment() {
    return role == Role.DEPARTMENT;
  }

  /** {@code sluice://prov-44/dept-hrss}, the form carried in certificates. */
  public String toUri() {
    return URI_SCHEME + "://" + this;
  }

  /** A file-name-safe form, {@code prov-44_dept-hrss}. */
  public String fileName() {
    return toString().replace('/', '_');
  }

  @Override
  public String toString() {
    switch (role) {
      case HUB:
        return "national";
      case PROVINCE:
        return "prov-" + province.codeString();
      default:
        return "prov-" + province.codeString() + "/dept-" + department;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeId
        && ((NodeId) o).role == role
        && ((NodeId) o).province == province
        && Objects.equals(((NodeId) o).department, department);
  }

  @Override
  public int hashCode() {
    return Objects.hash(role, province, department);
  }

  @Override
  public int compareTo(NodeId o) {
    return toString().compareTo(o.toString());
  }
}
