package sluice.gateway.psi;

/**
 * What a gateway tells of the PSI sessions passing it, for operators (metrics): sessions
 * admitted and ended, and the receiver's masked elements relayed. Never any element.
 */
public interface PsiProgress {
  /** A session was admitted and starts. */
  void started();

  /** {@code n} more of the receiver's masked elements were relayed. */
  void elements(long n);

  /** An admitted session ended, completed or failed. */
  void ended(boolean completed);

  /** Tells nobody. */
  static PsiProgress none() {
    return new PsiProgress() {
      @Override
      public void started() {}

      @Override
      public void elements(long n) {}

      @Override
      public void ended(boolean completed) {}
    };
  }
}
