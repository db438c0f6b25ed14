package sluice.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spilled input holds the same distinct elements in the same order as one held in memory, and leaves nothing behind. */
class PsiInputTest {
  @TempDir Path work;

  static List<String> read(PsiInput input, int from) throws Exception {
    List<String> out = new ArrayList<>();
    try (PsiInput.Cursor c = input.from(from)) {
      for (int i = from; i < input.size(); i++) {
        out.add(c.next());
      }
      assertThrows(IllegalStateException.class, c::next);
    }
    return out;
  }

  @Test
  void spilledMatchesInMemory() throws Exception {
    Random r = new Random(11);
    List<String> elements = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      elements.add("1101" + r.nextInt(12_000) + "身份"); // many repeats, and not only ASCII
    }
    PsiInput memory = PsiInput.of(elements);
    try (PsiInput spilled = PsiInput.spilled(elements::forEach, work)) {
      assertTrue(memory.size() < 12_000 && memory.size() > 9_000, "repeats: " + memory.size());
      assertEquals(memory.size(), spilled.size());
      assertEquals(read(memory, 0), read(spilled, 0));
      assertEquals(read(memory, 4321), read(spilled, 4321));
      assertEquals(List.of(), read(spilled, spilled.size()));
    }
    try (Stream<Path> left = Files.list(work)) {
      assertFalse(left.findAny().isPresent(), "the working directory is deleted on close");
    }
  }

  @Test
  void refusesWhatCannotBeAnElementAndLeavesNothing() throws Exception {
    for (List<String> bad : List.of(List.of("a", ""), List.of("a\nb"), List.of("x".repeat(5000)))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PsiInput.spilled(bad::forEach, work));
      assertTrue(e.getMessage().startsWith("element "), e.getMessage());
    }
    try (Stream<Path> left = Files.list(work)) {
      assertFalse(left.findAny().isPresent());
    }
  }
}
