package sluice.nodes.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Rows of an extra department's register ({@link DemoResources#register}): about a third of the
 * province's residents, drawn deterministically, each enrolled or not and ACTIVE or CLOSED.
 */
final class RegisterRows {
  private RegisterRows() {}

  static List<List<String>> of(long seed, int kind, List<Person> residents) {
    SplittableRandom r = new SplittableRandom(seed * 31 + 1000 + kind);
    List<List<String>> rows = new ArrayList<>();
    for (Person p : residents) {
      if (r.nextInt(3) == 0) {
        rows.add(List.of(p.idNumber(), p.name(), r.nextInt(5) == 0 ? "false" : "true", r.nextInt(10) == 0 ? "CLOSED" : "ACTIVE"));
      }
    }
    return rows;
  }
}
