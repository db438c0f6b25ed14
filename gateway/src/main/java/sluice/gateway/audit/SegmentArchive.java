package sluice.gateway.audit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import sluice.crypto.note.SignedNote;
import sluice.v1.AuditRecord;
import sluice.v1.ExportChunk;
import sluice.v1.ExportHeader;

/**
 * A sealed segment archived once its retention has passed: an export bundle of just that segment
 * (header with the compact range of the entries before it, the entries, and the checkpoint signed
 * when it was sealed), gzip-compressed, so {@code sluice audit verify} checks it on its own. The
 * file is written beside its final name, forced to disk and renamed, so an archive either exists
 * whole or not at all.
 */
final class SegmentArchive {
  static final String SUFFIX = ".bundle.gz";

  private SegmentArchive() {}

  static String name(long first, long end) {
    return String.format("entries-%020d-%020d%s", first, end, SUFFIX);
  }

  /** The first index an archive's name gives, or -1 when the name is not an archive's. */
  static long firstOf(Path file) {
    String n = file.getFileName().toString();
    if (!n.matches("entries-\\d{20}-\\d{20}" + java.util.regex.Pattern.quote(SUFFIX))) {
      return -1;
    }
    return Long.parseLong(n.substring(8, 28));
  }

  /** Writes the archive of {@code segment} into {@code dir}; returns its path. */
  static Path write(Path dir, ExportHeader header, SealedSegment segment, List<byte[]> frontier,
      SignedNote sealedAt) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve(name(segment.first(), segment.end()));
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    ExportHeader.Builder h = header.toBuilder().setFirstIndex(segment.first()).setTreeSize(segment.end()).clearFrontier();
    frontier.forEach(f -> h.addFrontier(ByteString.copyFrom(f)));
    try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)), 1 << 16)) {
      ExportChunk.newBuilder().setHeader(h).build().writeDelimitedTo(out);
      long[] index = {segment.first()};
      IOException[] failed = {null};
      segment.read(segment.end() - segment.first(), entry -> {
        if (failed[0] != null) {
          return;
        }
        try {
          ExportChunk.newBuilder().setRecord(AuditRecord.newBuilder().setIndex(index[0]++).setLogNodeId(header.getLogNodeId())
              .setLogInstance(header.getLogInstance())
              .setEntry(ByteString.copyFrom(entry))).build().writeDelimitedTo(out);
        } catch (IOException e) {
          failed[0] = e;
        }
      });
      if (failed[0] != null) {
        throw failed[0];
      }
      ExportChunk.newBuilder().setCheckpoint(sluice.v1.Checkpoint.newBuilder().setNote(sealedAt.format())).build()
          .writeDelimitedTo(out);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(dir);
    return target;
  }

  /**
   * Reads the entries of the archive at {@code file}, which must start at {@code first}, telling
   * {@code each} up to {@code limit} of them in order; returns the index after its last entry.
   *
   * @throws IOException when the archive is damaged or does not start at {@code first}
   */
  static long read(Path file, long first, long limit, Consumer<byte[]> each) throws IOException {
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)), 1 << 16)) {
      ExportChunk c = ExportChunk.parseDelimitedFrom(in);
      if (c == null || !c.hasHeader() || c.getHeader().getFirstIndex() != first) {
        throw new IOException(file + ": not an archive of the entries from " + first);
      }
      long end = c.getHeader().getTreeSize();
      long next = first;
      long told = 0;
      while ((c = ExportChunk.parseDelimitedFrom(in)) != null && c.hasRecord()) {
        if (c.getRecord().getIndex() != next) {
          throw new IOException(file + ": entry " + next + " is missing (next comes " + c.getRecord().getIndex() + ")");
        }
        if (told++ < limit) {
          each.accept(c.getRecord().getEntry().toByteArray());
        }
        next++;
      }
      if (next != end) {
        throw new IOException(file + ": the archive should hold entries " + first + ".." + (end - 1) + " but ends after "
            + (next - 1));
      }
      return next;
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(file + ": the archive is damaged: " + e.getMessage(), e);
    }
  }

  static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not every file system lets a directory be forced; the rename is still atomic.
    }
  }
}
