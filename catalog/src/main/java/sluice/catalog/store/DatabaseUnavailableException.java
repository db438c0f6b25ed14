package sluice.catalog.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * A catalogue or grant store could not reach its database (restarted, unreachable, shutting
 * down): the operation did not happen or its outcome is unknown, and trying again later may
 * succeed. Services answer it UNAVAILABLE rather than INTERNAL.
 */
public final class DatabaseUnavailableException extends IllegalStateException {
  /**
   * SQL states of a lost or refused connection: class 08 (connection exception) is standard;
   * PostgreSQL adds 57P01-57P03 (shut down by an administrator or a crash, not accepting
   * connections yet), H2 90121 and 90098 (database closed).
   */
  private static final Set<String> UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "90121", "90098");

  private DatabaseUnavailableException(String message, SQLException cause) {
    super(message, cause);
  }

  /**
   * The exception a store throws for {@code e} while doing {@code what}: this class when the
   * database was out of reach, else an {@link IllegalStateException}.
   */
  static IllegalStateException of(String what, SQLException e) {
    String message = what + ": " + e.getMessage();
    return unreachable(e) ? new DatabaseUnavailableException(message, e) : new IllegalStateException(message, e);
  }

  private static boolean unreachable(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      if (s instanceof SQLTransientConnectionException || s instanceof SQLRecoverableException
          || (state != null && (state.startsWith("08") || UNAVAILABLE.contains(state)))) {
        return true;
      }
    }
    return false;
  }
}
