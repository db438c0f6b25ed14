package sluice.catalog.entry;

import java.util.List;
import java.util.stream.Collectors;

/** A catalogue entry was refused; {@link #problems()} lists every reason, each with its path. */
public final class InvalidEntryException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public InvalidEntryException(String source, List<Problem> problems) {
    super(
        source + ": " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "\n  "
            + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
