package sluice.gateway.catalog;

import java.util.Optional;
import sluice.crypto.NodeId;

/**
 * Who a catalogue operation is done for: a department (the TLS-verified caller through its
 * gateway), or the hub's operator working on the hub's own database, who may do anything and
 * names the consumer department when filing a request.
 *
 * @param department the department acting; for the operator, the department it files for (may be null)
 */
public record Actor(NodeId department, boolean operator) {

  public static Actor department(NodeId department) {
    if (!department.isDepartment()) {
      throw new IllegalArgumentException(department + " is not a department");
    }
    return new Actor(department, false);
  }

  /** The hub's operator; {@code onBehalfOf} is the consumer of requests it files (may be null). */
  public static Actor operator(NodeId onBehalfOf) {
    return new Actor(onBehalfOf, true);
  }

  /** Whether this actor may change, or decide on, what {@code provider} offers. */
  boolean mayActFor(NodeId provider) {
    return operator || provider.equals(department);
  }

  /** Whether a request or grant between {@code consumer} and {@code provider} is this actor's business. */
  boolean concerned(NodeId consumer, Optional<NodeId> provider) {
    return operator || consumer.equals(department) || provider.equals(Optional.ofNullable(department));
  }

  /** The consumer of a request this actor files. */
  NodeId consumer() {
    if (department == null) {
      throw sluice.gateway.Refusals.invalid("name the consumer department the request is for");
    }
    return department;
  }

  String name() {
    return operator ? "the hub operator" : department.toString();
  }
}
