package sluice.nodes.cli;

import sluice.v1.Comparison;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.PredicateList;
import sluice.v1.Value;

/** Small builders for the demo's predicates, and a readable rendering of any predicate. */
final class Questions {
  private Questions() {}

  static Predicate cmp(String field, Operator op, Value... values) {
    Comparison.Builder c = Comparison.newBuilder().setField(field).setOp(op);
    for (Value v : values) {
      c.addValues(v);
    }
    return Predicate.newBuilder().setComparison(c).build();
  }

  static Predicate all(Predicate... ps) {
    return Predicate.newBuilder().setAll(PredicateList.newBuilder().addAllOperands(java.util.List.of(ps))).build();
  }

  static Predicate any(Predicate... ps) {
    return Predicate.newBuilder().setAny(PredicateList.newBuilder().addAllOperands(java.util.List.of(ps))).build();
  }

  static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  static Value integer(long n) {
    return Value.newBuilder().setIntValue(n).build();
  }

  static Value decimal(String d) {
    return Value.newBuilder().setDecimalValue(d).build();
  }

  static Value date(String d) {
    return Value.newBuilder().setDateValue(d).build();
  }

  static Value bool(boolean b) {
    return Value.newBuilder().setBoolValue(b).build();
  }

  /** Renders a predicate as text, e.g. {@code enrolled = true and status in (ACTIVE)}. */
  static String render(Predicate p) {
    switch (p.getNodeCase()) {
      case COMPARISON:
        return render(p.getComparison());
      case ALL:
        return join(p.getAll(), " and ");
      case ANY:
        return join(p.getAny(), " or ");
      case NOT:
        return "not (" + render(p.getNot()) + ")";
      default:
        return "(empty)";
    }
  }

  private static String join(PredicateList list, String sep) {
    StringBuilder sb = new StringBuilder();
    for (Predicate operand : list.getOperandsList()) {
      if (sb.length() > 0) {
        sb.append(sep);
      }
      boolean nested = operand.hasAll() || operand.hasAny();
      sb.append(nested ? "(" : "").append(render(operand)).append(nested ? ")" : "");
    }
    return sb.toString();
  }

  private static String render(Comparison c) {
    String f = c.getField();
    switch (c.getOp()) {
      case EXISTS:
        return f + " exists";
      case EQ:
        return f + " = " + value(c.getValues(0));
      case NE:
        return f + " != " + value(c.getValues(0));
      case LT:
        return f + " < " + value(c.getValues(0));
      case LE:
        return f + " <= " + value(c.getValues(0));
      case GT:
        return f + " > " + value(c.getValues(0));
      case GE:
        return f + " >= " + value(c.getValues(0));
      case IN:
        StringBuilder sb = new StringBuilder(f + " in (");
        for (int i = 0; i < c.getValuesCount(); i++) {
          sb.append(i == 0 ? "" : ", ").append(value(c.getValues(i)));
        }
        return sb.append(")").toString();
      case BETWEEN:
        return f + " between " + value(c.getValues(0)) + " and " + value(c.getValues(1));
      default:
        return f + " ?";
    }
  }

  private static String value(Value v) {
    switch (v.getKindCase()) {
      case STRING_VALUE:
        return "\"" + v.getStringValue() + "\"";
      case INT_VALUE:
        return Long.toString(v.getIntValue());
      case DECIMAL_VALUE:
        return v.getDecimalValue();
      case DATE_VALUE:
        return v.getDateValue();
      case BOOL_VALUE:
        return Boolean.toString(v.getBoolValue());
      default:
        return "?";
    }
  }

  /** Shows the first 6 and last 4 characters of an identifier, as printed receipts do. */
  static String maskId(String id) {
    if (id.length() <= 10) {
      return "*".repeat(id.length());
    }
    return id.substring(0, 6) + "*".repeat(id.length() - 10) + id.substring(id.length() - 4);
  }
}
