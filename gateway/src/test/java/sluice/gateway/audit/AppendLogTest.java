package sluice.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendLogTest {
  @TempDir Path dir;

  static byte[] entry(int i) {
    return ("entry " + i).getBytes(StandardCharsets.UTF_8);
  }

  static List<byte[]> replay(Path file) throws IOException {
    List<byte[]> seen = new ArrayList<>();
    try (AppendLog log = AppendLog.open(file, 256, Duration.ofMillis(2), seen::add)) {
      return seen;
    }
  }

  @Test
  void concurrentAppendsShareFsyncsAndAllSurviveReopening() throws Exception {
    Path file = dir.resolve("audit.log");
    List<CompletableFuture<Long>> acks = new ArrayList<>();
    long fsyncs;
    try (AppendLog log = AppendLog.open(file, 256, Duration.ofMillis(2), b -> {})) {
      ExecutorService callers = Executors.newFixedThreadPool(8);
      List<java.util.concurrent.Future<CompletableFuture<Long>>> submitted = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        int n = i;
        submitted.add(callers.submit(() -> log.append(entry(n))));
      }
      for (var f : submitted) {
        acks.add(f.get());
      }
      callers.shutdown();
      Set<Long> indexes = new HashSet<>();
      for (CompletableFuture<Long> a : acks) {
        indexes.add(a.get());
      }
      assertEquals(2000, indexes.size(), "every record acknowledged with its own index");
      fsyncs = log.fsyncs();
    }
    assertTrue(fsyncs < 2000, "group commit: " + fsyncs + " fsyncs for 2000 records");
    List<byte[]> back = replay(file);
    assertEquals(2000, back.size());
    Set<String> texts = new HashSet<>();
    back.forEach(b -> texts.add(new String(b, StandardCharsets.UTF_8)));
    assertTrue(texts.contains("entry 0") && texts.contains("entry 1999"));
  }

  /** Records are read back by number, those between kept positions too, before and after reopening. */
  @Test
  void everyRecordIsReadBackByItsNumber() throws Exception {
    Path file = dir.resolve("numbered.log");
    int n = RecordOffsets.STRIDE * 5 + 7;
    try (AppendLog log = AppendLog.open(file, 256, Duration.ZERO, b -> {})) {
      for (int i = 0; i < n; i++) {
        log.append(("record " + i + " " + "x".repeat(i % 13)).getBytes(StandardCharsets.UTF_8)).get();
      }
      for (int i = 0; i < n; i++) {
        assertEquals("record " + i + " " + "x".repeat(i % 13), new String(log.record(i), StandardCharsets.UTF_8));
      }
    }
    try (AppendLog log = AppendLog.open(file, 256, Duration.ZERO, b -> {})) {
      for (int i = n - 1; i >= 0; i -= 3) {
        assertEquals("record " + i + " " + "x".repeat(i % 13), new String(log.record(i), StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void aRecordThatComesAloneIsNotHeldForTheWindow() throws Exception {
    // A 10 s window: were a lone record held for company, it would not be durable within 5 s.
    try (AppendLog<Void> log = AppendLog.open(dir.resolve("alone.log"), 256, Duration.ofSeconds(10), b -> {})) {
      for (int i = 0; i < 3; i++) {
        assertEquals(i, log.append(entry(i)).get(5, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertEquals(3, log.fsyncs(), "one fsync each");
      assertEquals(3, log.fsyncMicros().getTotalCount(), "each fsync timed");
    }
  }

  @Test
  void aTornTailIsCutAndTheLogGoesOn() throws Exception {
    Path file = dir.resolve("audit.log");
    try (AppendLog log = AppendLog.open(file, 16, Duration.ZERO, b -> {})) {
      for (int i = 0; i < 3; i++) {
        log.append(entry(i)).get();
      }
    }
    long good = Files.size(file);
    // A crash in the middle of writing the fourth record: its header and half its bytes.
    ByteBuffer torn = ByteBuffer.allocate(8 + 4).putInt(40).putInt(12345).put(new byte[] {1, 2, 3, 4});
    Files.write(file, torn.array(), StandardOpenOption.APPEND);
    assertEquals(3, replay(file).size());
    assertEquals(good, Files.size(file), "the torn tail is cut");
    try (AppendLog log = AppendLog.open(file, 16, Duration.ZERO, b -> {})) {
      assertEquals(3L, log.append(entry(3)).get(), "the next record takes the next index");
    }
    List<byte[]> back = replay(file);
    assertEquals(4, back.size());
    assertArrayEquals(entry(3), back.get(3));
  }

  @Test
  void damageBeforeTheTailIsRefusedNotCut() throws Exception {
    Path file = dir.resolve("audit.log");
    try (AppendLog log = AppendLog.open(file, 16, Duration.ZERO, b -> {})) {
      for (int i = 0; i < 3; i++) {
        log.append(entry(i)).get();
      }
    }
    byte[] all = Files.readAllBytes(file);
    all[8] ^= 1; // a byte of the first record's body
    Files.write(file, all);
    IOException e = assertThrows(IOException.class, () -> replay(file));
    assertTrue(e.getMessage().contains("record 0 at byte 0 fails its checksum and more follow"), e.getMessage());
    assertEquals(all.length, Files.size(file), "nothing acknowledged is cut");
  }
}
