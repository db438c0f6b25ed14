package sluice.gateway.client;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * A PSI receiver's set: its distinct elements in a fixed order (first occurrences, in input
 * order), read in order from any position as often as a session needs. Either held in memory
 * ({@link #of}) or read from a source too large for memory and spilled to a private working
 * directory ({@link #spilled}), where only a bit per input line stays in memory.
 */
public abstract class PsiInput implements AutoCloseable {
  /** Elements in order, from some position on. */
  public interface Cursor extends Closeable {
    /** The next element; past the last, an IllegalStateException. */
    String next() throws IOException;
  }

  /** A source of elements that can be read through once, in order. */
  public interface Source {
    void forEach(Consumer<String> element) throws IOException;
  }

  /** How many distinct elements. */
  public abstract int size();

  /** Reads the distinct elements from {@code position} (0-based) on. */
  public abstract Cursor from(int position) throws IOException;

  /** Deletes what was spilled; an input held in memory has nothing to release. */
  @Override
  public void close() {}

  /** The distinct elements of {@code elements}, held in memory. */
  public static PsiInput of(Collection<String> elements) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(elements));
    return new PsiInput() {
      @Override
      public int size() {
        return distinct.size();
      }

      @Override
      public Cursor from(int position) {
        return new Cursor() {
          int next = position;

          @Override
          public String next() {
            if (next >= distinct.size()) {
              throw new IllegalStateException("past the last of " + distinct.size() + " elements");
            }
            return distinct.get(next++);
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  /**
   * The distinct elements of {@code source}, read through once and kept in a new private directory
   * under {@code workDir} until {@link #close}; duplicates are found a partition at a time, so
   * memory stays bounded whatever the size of the source.
   *
   * @throws IllegalArgumentException when an element is empty, spans lines or is longer than 4,096 characters
   */
  public static PsiInput spilled(Source source, Path workDir) throws IOException {
    return SpilledPsiInput.read(source, workDir);
  }
}
