package sluice.catalog.predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import sluice.catalog.FieldSpec;
import sluice.catalog.FieldType;
import sluice.catalog.ResourceDescriptor;
import sluice.crypto.NodeId;
import sluice.v1.Comparison;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.PredicateList;
import sluice.v1.Value;

class PredicateCompilerTest {
  static final ResourceDescriptor RESOURCE =
      new ResourceDescriptor(
          "44.hrss.social-insurance",
          "Social insurance",
          NodeId.parse("prov-44/dept-hrss"),
          "id_number",
          List.of(
              new FieldSpec("id_number", FieldType.STRING),
              new FieldSpec("enrolled", FieldType.BOOLEAN),
              new FieldSpec("base", FieldType.INTEGER),
              new FieldSpec("amount", FieldType.DECIMAL),
              new FieldSpec("since", FieldType.DATE),
              new FieldSpec("status", FieldType.STRING)));

  // id, enrolled, base, amount, since, status(absent)
  static final Comparable<?>[] ROW = {
    "11010519491231002X", true, 8000L, new BigDecimal("1234.50"), LocalDate.of(2019, 3, 1), null
  };
  static final Record RECORD = i -> ROW[i];

  final PredicateCompiler compiler = new PredicateCompiler(RESOURCE, PredicateLimits.DEFAULT);

  static Predicate cmp(String field, Operator op, Value... values) {
    return Predicate.newBuilder()
        .setComparison(Comparison.newBuilder().setField(field).setOp(op).addAllValues(List.of(values)))
        .build();
  }

  static Value s(String v) {
    return Value.newBuilder().setStringValue(v).build();
  }

  static Value i(long v) {
    return Value.newBuilder().setIntValue(v).build();
  }

  static Value d(String v) {
    return Value.newBuilder().setDecimalValue(v).build();
  }

  static Value date(String v) {
    return Value.newBuilder().setDateValue(v).build();
  }

  static Value b(boolean v) {
    return Value.newBuilder().setBoolValue(v).build();
  }

  boolean eval(Predicate p) throws InvalidPredicateException {
    return compiler.compile(p).test(RECORD);
  }

  String error(Predicate p) {
    return assertThrows(InvalidPredicateException.class, () -> compiler.compile(p)).getMessage();
  }

  @Test
  void everyOperatorOnEveryType() throws Exception {
    assertTrue(eval(cmp("enrolled", Operator.EQ, b(true))));
    assertFalse(eval(cmp("enrolled", Operator.NE, b(true))));
    assertTrue(eval(cmp("base", Operator.GE, i(8000))));
    assertFalse(eval(cmp("base", Operator.GT, i(8000))));
    assertTrue(eval(cmp("base", Operator.LT, i(8001))));
    assertTrue(eval(cmp("base", Operator.LE, i(8000))));
    assertTrue(eval(cmp("base", Operator.BETWEEN, i(7000), i(9000))));
    assertFalse(eval(cmp("base", Operator.BETWEEN, i(8001), i(9000))));
    assertTrue(eval(cmp("amount", Operator.EQ, d("1234.5"))), "decimal equality ignores scale");
    assertTrue(eval(cmp("amount", Operator.GT, i(1234))), "integer literal accepted for decimal");
    assertTrue(eval(cmp("since", Operator.LT, date("2020-01-01"))));
    assertTrue(eval(cmp("since", Operator.IN, date("2018-01-01"), date("2019-03-01"))));
    assertTrue(eval(cmp("id_number", Operator.EQ, s("11010519491231002X"))));
    assertFalse(eval(cmp("id_number", Operator.IN, s("a"), s("b"))));
  }

  @Test
  void absentValuesFailComparisonsButNotNegation() throws Exception {
    assertFalse(eval(cmp("status", Operator.EXISTS)));
    assertTrue(eval(cmp("since", Operator.EXISTS)));
    assertFalse(eval(cmp("status", Operator.EQ, s("ACTIVE"))));
    assertFalse(eval(cmp("status", Operator.NE, s("ACTIVE"))));
    assertTrue(eval(Predicate.newBuilder().setNot(cmp("status", Operator.EQ, s("ACTIVE"))).build()));
  }

  @Test
  void andOrTrees() throws Exception {
    Predicate yes = cmp("enrolled", Operator.EQ, b(true));
    Predicate no = cmp("base", Operator.LT, i(0));
    assertTrue(eval(all(yes, yes)));
    assertFalse(eval(all(yes, no)));
    assertTrue(eval(any(no, yes)));
    assertFalse(eval(any(no, no)));
    assertTrue(eval(all(yes, any(no, all(yes, yes)))));
  }

  @Test
  void errorsNameTheProblemAndItsPath() {
    assertEquals(
        "predicate.all[1].comparison: resource 44.hrss.social-insurance has no field \"salary\"",
        error(all(cmp("base", Operator.EXISTS), cmp("salary", Operator.GT, i(1)))));
    assertEquals(
        "predicate.comparison.values[0]: field \"base\" is INTEGER but the value is a string",
        error(cmp("base", Operator.GT, s("8000"))));
    assertEquals(
        "predicate.comparison: IN needs at least one value, got none",
        error(cmp("status", Operator.IN)));
    assertEquals("predicate.comparison: BETWEEN takes 2 values, got 1", error(cmp("base", Operator.BETWEEN, i(1))));
    assertEquals("predicate.comparison: EXISTS takes 0 values, got 1", error(cmp("base", Operator.EXISTS, i(1))));
    assertTrue(error(cmp("enrolled", Operator.LT, b(true))).contains("does not apply to BOOLEAN"));
    assertTrue(error(cmp("since", Operator.EQ, date("2019-02-30"))).contains("is not a DATE"));
    assertTrue(error(cmp("amount", Operator.EQ, d("12e"))).contains("is not a DECIMAL"));
    assertTrue(error(cmp("base", Operator.BETWEEN, i(9), i(1))).contains("reversed"));
    assertTrue(error(Predicate.getDefaultInstance()).contains("empty predicate"));
    assertTrue(error(Predicate.newBuilder().setAll(PredicateList.getDefaultInstance()).build()).contains("at least one operand"));
    assertTrue(error(cmp("base", Operator.OPERATOR_UNSPECIFIED, i(1))).contains("operator not set"));
  }

  @Test
  void limitsBoundTheWork() {
    Predicate deep = cmp("base", Operator.EXISTS);
    for (int k = 0; k < 40; k++) {
      deep = Predicate.newBuilder().setNot(deep).build();
    }
    assertTrue(error(deep).contains("nested deeper than 16 levels"));
    PredicateList.Builder wide = PredicateList.newBuilder();
    for (int k = 0; k < 300; k++) {
      wide.addOperands(cmp("base", Operator.EXISTS));
    }
    assertTrue(error(Predicate.newBuilder().setAny(wide).build()).contains("more than 256 nodes"));
    Comparison.Builder big = Comparison.newBuilder().setField("base").setOp(Operator.IN);
    for (int k = 0; k < 1001; k++) {
      big.addValues(i(k));
    }
    assertTrue(error(Predicate.newBuilder().setComparison(big).build()).contains("at most 1000 allowed"));
  }

  static Predicate all(Predicate... ps) {
    return Predicate.newBuilder().setAll(PredicateList.newBuilder().addAllOperands(List.of(ps))).build();
  }

  static Predicate any(Predicate... ps) {
    return Predicate.newBuilder().setAny(PredicateList.newBuilder().addAllOperands(List.of(ps))).build();
  }
}
