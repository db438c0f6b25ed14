package sluice.nodes.cli;

import java.io.PrintWriter;
import java.time.Duration;
import sluice.gateway.client.PsiReceiver;

/**
 * A one-line progress bar with the time left, redrawn on a terminal line at most five times a
 * second; the estimate is the rate so far applied to what remains.
 */
final class ProgressBar implements PsiReceiver.Progress {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final String what;
  private final long started = System.nanoTime();
  private long lastDrawn;

  ProgressBar(PrintWriter err, String what) {
    this.err = err;
    this.what = what;
  }

  @Override
  public synchronized void update(long done, long total) {
    long now = System.nanoTime();
    if (now - lastDrawn < 200_000_000L && done < total) {
      return;
    }
    lastDrawn = now;
    err.print("\r" + line(done, total, now - started));
    err.flush();
  }

  /** Ends the bar's line. */
  synchronized void finish() {
    if (lastDrawn != 0) {
      err.println();
      err.flush();
    }
  }

  /** The bar for {@code done} of {@code total} after {@code elapsedNanos}, e.g. "[#####     ] 50% 5/10 ... 0:07 left". */
  String line(long done, long total, long elapsedNanos) {
    double f = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(f * WIDTH);
    String left = done == 0 ? "--:--" : clock(Duration.ofNanos((long) (elapsedNanos * (total - done) / (double) done)));
    return String.format("[%s%s] %3d%% %,d/%,d %s, %s left ", "#".repeat(filled), " ".repeat(WIDTH - filled),
        Math.round(f * 100), done, total, what, left);
  }

  private static String clock(Duration d) {
    long s = d.toSeconds();
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
  }
}
