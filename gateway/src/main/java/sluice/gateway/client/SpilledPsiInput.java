package sluice.gateway.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import sluice.gateway.psi.PrivateFiles;

/**
 * A receiver's set read once from its source into a private working directory: every element a
 * line of one file, and the lines that repeat an earlier one marked in a bitmap, found by
 * splitting the elements into partitions by hash and looking for repeats one partition at a time.
 * What stays in memory is the bitmap, a bit per line. The directory is the receiver's own, on its
 * own machine, holding what its input file already held; {@link #close} deletes it.
 */
final class SpilledPsiInput extends PsiInput {
  /** The longest element accepted. */
  static final int MAX_ELEMENT = 4096;
  private static final int PARTITIONS = 64;

  private final Path dir;
  private final Path lines;
  private final BitSet repeats;
  private final int size;

  private SpilledPsiInput(Path dir, Path lines, BitSet repeats, int size) {
    this.dir = dir;
    this.lines = lines;
    this.repeats = repeats;
    this.size = size;
  }

  static SpilledPsiInput read(Source source, Path workDir) throws IOException {
    Path dir = PrivateFiles.directory(workDir, "sluice-psi-input-");
    try {
      Path lines = dir.resolve("elements");
      Path[] parts = new Path[PARTITIONS];
      DataOutputStream[] out = new DataOutputStream[PARTITIONS];
      long[] counts = new long[PARTITIONS];
      int[] n = {0};
      try (BufferedWriter w = Files.newBufferedWriter(lines, StandardCharsets.UTF_8)) {
        for (int p = 0; p < PARTITIONS; p++) {
          parts[p] = dir.resolve("distinct-" + p);
          out[p] = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(parts[p]), 8192));
        }
        try {
          source.forEach(e -> {
            check(e, n[0]);
            if (n[0] == Integer.MAX_VALUE - 1) {
              throw new IllegalArgumentException("more than " + (Integer.MAX_VALUE - 1) + " elements");
            }
            int p = (e.hashCode() * 0x9E3779B9) >>> 26;
            try {
              w.write(e);
              w.write('\n');
              out[p].writeInt(n[0]);
              out[p].writeUTF(e);
            } catch (IOException x) {
              throw new UncheckedIOException(x);
            }
            counts[p]++;
            n[0]++;
          });
        } catch (UncheckedIOException x) {
          throw x.getCause();
        } finally {
          for (DataOutputStream o : out) {
            o.close();
          }
        }
      }
      BitSet repeats = new BitSet(n[0]);
      for (int p = 0; p < PARTITIONS; p++) {
        Set<String> seen = new HashSet<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(parts[p])))) {
          for (long i = 0; i < counts[p]; i++) {
            int line = in.readInt();
            if (!seen.add(in.readUTF())) {
              repeats.set(line);
            }
          }
        }
        Files.delete(parts[p]);
      }
      return new SpilledPsiInput(dir, lines, repeats, n[0] - repeats.cardinality());
    } catch (IOException | RuntimeException e) {
      PrivateFiles.deleteTree(dir);
      throw e;
    }
  }

  private static void check(String e, int line) {
    if (e.isEmpty()) {
      throw new IllegalArgumentException("element " + (line + 1) + " is empty");
    }
    if (e.length() > MAX_ELEMENT) {
      throw new IllegalArgumentException("element " + (line + 1) + " is " + e.length() + " characters long, more than "
          + MAX_ELEMENT);
    }
    if (e.indexOf('\n') >= 0 || e.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("element " + (line + 1) + " spans lines");
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Cursor from(int position) throws IOException {
    if (position < 0 || position > size) {
      throw new IllegalArgumentException("position " + position + " of " + size + " elements");
    }
    BufferedReader in = Files.newBufferedReader(lines, StandardCharsets.UTF_8);
    Cursor c = new Cursor() {
      int line;
      int next;

      @Override
      public String next() throws IOException {
        if (next >= size) {
          throw new IllegalStateException("past the last of " + size + " elements");
        }
        while (true) {
          String e = in.readLine();
          if (e == null) {
            throw new IOException(lines + " ended before its " + size + " elements");
          }
          if (!repeats.get(line++)) {
            next++;
            return e;
          }
        }
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
    try {
      for (int i = 0; i < position; i++) {
        c.next();
      }
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
    return c;
  }

  @Override
  public void close() {
    PrivateFiles.deleteTree(dir);
  }
}
