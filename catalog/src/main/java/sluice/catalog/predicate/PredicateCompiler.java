package sluice.catalog.predicate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import sluice.catalog.FieldSpec;
import sluice.catalog.FieldType;
import sluice.catalog.ResourceDescriptor;
import sluice.v1.Comparison;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.Value;

/**
 * Checks a wire predicate against a resource's fields and turns it into a
 * {@link CompiledPredicate}. Every problem is reported with its path in the tree.
 *
 * <p>Thread-safe: holds only immutable configuration.
 */
public final class PredicateCompiler {
  private final ResourceDescriptor resource;
  private final PredicateLimits limits;

  public PredicateCompiler(ResourceDescriptor resource, PredicateLimits limits) {
    this.resource = resource;
    this.limits = limits;
  }

  /** Compiles {@code predicate}; an unset predicate is refused (ask EXISTS on the key instead). */
  public CompiledPredicate compile(Predicate predicate) throws InvalidPredicateException {
    int[] nodes = {0};
    return compile(predicate, "predicate", 1, nodes);
  }

  private CompiledPredicate compile(Predicate p, String path, int depth, int[] nodes)
      throws InvalidPredicateException {
    if (depth > limits.maxDepth()) {
      throw new InvalidPredicateException(
          path + ": nested deeper than " + limits.maxDepth() + " levels");
    }
    if (++nodes[0] > limits.maxNodes()) {
      throw new InvalidPredicateException(
          "predicate has more than " + limits.maxNodes() + " nodes");
    }
    switch (p.getNodeCase()) {
      case COMPARISON:
        return comparison(p.getComparison(), path + ".comparison");
      case ALL:
        {
          CompiledPredicate[] parts = operands(p.getAll().getOperandsList(), path + ".all", depth, nodes);
          return r -> {
            for (CompiledPredicate part : parts) {
              if (!part.test(r)) {
                return false;
              }
            }
            return true;
          };
        }
      case ANY:
        {
          CompiledPredicate[] parts = operands(p.getAny().getOperandsList(), path + ".any", depth, nodes);
          return r -> {
            for (CompiledPredicate part : parts) {
              if (part.test(r)) {
                return true;
              }
            }
            return false;
          };
        }
      case NOT:
        {
          CompiledPredicate inner = compile(p.getNot(), path + ".not", depth + 1, nodes);
          return r -> !inner.test(r);
        }
      default:
        throw new InvalidPredicateException(
            path + ": empty predicate (set comparison, all, any or not)");
    }
  }

  private CompiledPredicate[] operands(List<Predicate> ops, String path, int depth, int[] nodes)
      throws InvalidPredicateException {
    if (ops.isEmpty()) {
      throw new InvalidPredicateException(path + ": needs at least one operand");
    }
    CompiledPredicate[] parts = new CompiledPredicate[ops.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = compile(ops.get(i), path + "[" + i + "]", depth + 1, nodes);
    }
    return parts;
  }

  private CompiledPredicate comparison(Comparison c, String path) throws InvalidPredicateException {
    int index = indexOf(c.getField(), path);
    FieldSpec field = resource.fields().get(index);
    Operator op = c.getOp();
    int n = c.getValuesCount();
    if (n > limits.maxValues()) {
      throw new InvalidPredicateException(
          path + ": " + n + " values, at most " + limits.maxValues() + " allowed");
    }
    switch (op) {
      case EXISTS:
        expectCount(path, op, n, 0, 0);
        return r -> r.value(index) != null;
      case EQ:
      case NE:
        {
          expectCount(path, op, n, 1, 1);
          Comparable<?> v = literal(field, c.getValues(0), path + ".values[0]");
          boolean wantEqual = op == Operator.EQ;
          return r -> {
            Comparable<?> x = r.value(index);
            return x != null && (compare(x, v) == 0) == wantEqual;
          };
        }
      case LT:
      case LE:
      case GT:
      case GE:
        {
          expectCount(path, op, n, 1, 1);
          if (field.type() == FieldType.BOOLEAN) {
            throw new InvalidPredicateException(
                path + ": operator " + op + " does not apply to BOOLEAN field \"" + field.name() + "\"");
          }
          Comparable<?> v = literal(field, c.getValues(0), path + ".values[0]");
          return r -> {
            Comparable<?> x = r.value(index);
            if (x == null) {
              return false;
            }
            int cmp = compare(x, v);
            switch (op) {
              case LT:
                return cmp < 0;
              case LE:
                return cmp <= 0;
              case GT:
                return cmp > 0;
              default:
                return cmp >= 0;
            }
          };
        }
      case IN:
        {
          if (n == 0) {
            throw new InvalidPredicateException(path + ": IN needs at least one value, got none");
          }
          List<Comparable<?>> set = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            set.add(literal(field, c.getValues(i), path + ".values[" + i + "]"));
          }
          return r -> {
            Comparable<?> x = r.value(index);
            if (x == null) {
              return false;
            }
            for (Comparable<?> v : set) {
              if (compare(x, v) == 0) {
                return true;
              }
            }
            return false;
          };
        }
      case BETWEEN:
        {
          expectCount(path, op, n, 2, 2);
          if (field.type() == FieldType.BOOLEAN) {
            throw new InvalidPredicateException(
                path + ": operator BETWEEN does not apply to BOOLEAN field \"" + field.name() + "\"");
          }
          Comparable<?> low = literal(field, c.getValues(0), path + ".values[0]");
          Comparable<?> high = literal(field, c.getValues(1), path + ".values[1]");
          if (compare(low, high) > 0) {
            throw new InvalidPredicateException(
                path + ": BETWEEN bounds are reversed (low value is above high value)");
          }
          return r -> {
            Comparable<?> x = r.value(index);
            return x != null && compare(x, low) >= 0 && compare(x, high) <= 0;
          };
        }
      default:
        throw new InvalidPredicateException(
            path + ": operator not set (use EXISTS, EQ, NE, LT, LE, GT, GE, IN or BETWEEN)");
    }
  }

  private int indexOf(String fieldName, String path) throws InvalidPredicateException {
    if (fieldName.isEmpty()) {
      throw new InvalidPredicateException(path + ": field name is empty");
    }
    int index = resource.indexOf(fieldName);
    if (index >= 0) {
      return index;
    }
    throw new InvalidPredicateException(
        path + ": resource " + resource.code() + " has no field \"" + abbreviate(fieldName) + "\"");
  }

  private static void expectCount(String path, Operator op, int n, int min, int max)
      throws InvalidPredicateException {
    if (n < min || n > max) {
      String want = min == max ? Integer.toString(min) : min + " to " + max;
      throw new InvalidPredicateException(
          path + ": " + op + " takes " + want + " value" + (max == 1 ? "" : "s") + ", got " + n);
    }
  }

  private Comparable<?> literal(FieldSpec field, Value v, String path)
      throws InvalidPredicateException {
    FieldType t = field.type();
    Value.KindCase kind = v.getKindCase();
    String mismatch =
        path + ": field \"" + field.name() + "\" is " + t + " but the value is " + describe(kind);
    switch (t) {
      case STRING:
        if (kind != Value.KindCase.STRING_VALUE) {
          throw new InvalidPredicateException(mismatch);
        }
        if (v.getStringValue().length() > limits.maxStringLength()) {
          throw new InvalidPredicateException(
              path + ": string longer than " + limits.maxStringLength() + " characters");
        }
        return v.getStringValue();
      case INTEGER:
        if (kind != Value.KindCase.INT_VALUE) {
          throw new InvalidPredicateException(mismatch);
        }
        return v.getIntValue();
      case DECIMAL:
        if (kind == Value.KindCase.INT_VALUE) {
          return BigDecimal.valueOf(v.getIntValue());
        }
        if (kind != Value.KindCase.DECIMAL_VALUE) {
          throw new InvalidPredicateException(mismatch);
        }
        return parsed(t, v.getDecimalValue(), path);
      case DATE:
        if (kind != Value.KindCase.DATE_VALUE) {
          throw new InvalidPredicateException(mismatch);
        }
        return parsed(t, v.getDateValue(), path);
      case BOOLEAN:
        if (kind != Value.KindCase.BOOL_VALUE) {
          throw new InvalidPredicateException(mismatch);
        }
        return v.getBoolValue();
      default:
        throw new InvalidPredicateException(path + ": unsupported field type " + t);
    }
  }

  private Comparable<?> parsed(FieldType t, String text, String path)
      throws InvalidPredicateException {
    if (text.length() > 64) {
      throw new InvalidPredicateException(path + ": " + t + " literal longer than 64 characters");
    }
    try {
      Comparable<?> value = TypedValues.parse(t, text);
      if (value == null) {
        throw new InvalidPredicateException(path + ": empty " + t + " literal");
      }
      return value;
    } catch (IllegalArgumentException e) {
      throw new InvalidPredicateException(path + ": " + e.getMessage());
    }
  }

  private static String describe(Value.KindCase kind) {
    switch (kind) {
      case STRING_VALUE:
        return "a string";
      case INT_VALUE:
        return "an integer";
      case DECIMAL_VALUE:
        return "a decimal";
      case DATE_VALUE:
        return "a date";
      case BOOL_VALUE:
        return "a boolean";
      default:
        return "not set";
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Comparable a, Comparable b) {
    return a.compareTo(b);
  }
}
