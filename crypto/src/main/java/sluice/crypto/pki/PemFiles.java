package sluice.crypto.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;
import sluice.crypto.BouncyCastle;

/**
 * Reads and writes PEM certificates, certificate chains and unencrypted PKCS#8 private keys.
 *
 * <p>Private keys are returned as JDK key objects when the JDK supports them (RSA, EC P-256) and
 * as BouncyCastle key objects otherwise (SM2 keys on {@code sm2p256v1}); certificates follow the
 * same rule (see {@link Certificates#fromDer}). Writes replace the target atomically (a
 * temporary file in the same directory is renamed over it). Private key files are created with
 * POSIX permissions {@code rw-------} where the file system supports POSIX permissions;
 * certificate files get {@code rw-r--r--}.
 *
 * <p>Every {@link IOException} message names the file and what is wrong with it.
 */
public final class PemFiles {

  private static final Set<PosixFilePermission> KEY_PERMISSIONS =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> CERT_PERMISSIONS =
      PosixFilePermissions.fromString("rw-r--r--");

  private PemFiles() {}

  /**
   * Reads all certificates of a PEM file, in file order.
   *
   * @throws IOException if the file cannot be read, holds something other than certificates, or
   *     holds no certificate
   */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    return parseCertificates(read(file), file.toString());
  }

  /**
   * Reads a PEM file that must hold exactly one certificate.
   *
   * @throws IOException as {@link #readCertificates}, or if the file holds several certificates
   */
  public static X509Certificate readCertificate(Path file) throws IOException {
    List<X509Certificate> certs = readCertificates(file);
    if (certs.size() != 1) {
      throw new IOException(
          file + ": expected exactly one certificate, found " + certs.size());
    }
    return certs.get(0);
  }

  /**
   * Parses PEM text holding one or more certificates; {@code source} names the text in errors.
   */
  public static List<X509Certificate> parseCertificates(String pem, String source)
      throws IOException {
    List<X509Certificate> certs = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = next(parser, source)) != null) {
        if (!(o instanceof X509CertificateHolder)) {
          throw new IOException(
              source + ": expected only PEM CERTIFICATE blocks, found " + describe(o)
                  + " (is this a key file?)");
        }
        try {
          certs.add(Certificates.fromDer(((X509CertificateHolder) o).getEncoded()));
        } catch (CertificateException e) {
          throw new IOException(
              source + ": certificate #" + (certs.size() + 1) + " cannot be parsed: "
                  + e.getMessage(), e);
        }
      }
    }
    if (certs.isEmpty()) {
      throw new IOException(source + ": no PEM certificate (-----BEGIN CERTIFICATE-----) found");
    }
    return List.copyOf(certs);
  }

  /**
   * Reads an unencrypted private key: PKCS#8 ({@code PRIVATE KEY}) or, for compatibility,
   * SEC 1 ({@code EC PRIVATE KEY}).
   *
   * @throws IOException if the file cannot be read, holds no key or several, is encrypted, or
   *     holds a key of an unsupported type
   */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    String source = file.toString();
    PrivateKeyInfo info = null;
    try (PEMParser parser = new PEMParser(new StringReader(read(file)))) {
      Object o;
      while ((o = next(parser, source)) != null) {
        PrivateKeyInfo found;
        if (o instanceof PrivateKeyInfo) {
          found = (PrivateKeyInfo) o;
        } else if (o instanceof PEMKeyPair) {
          found = ((PEMKeyPair) o).getPrivateKeyInfo();
        } else {
          throw new IOException(
              source + ": expected one unencrypted PEM PRIVATE KEY, found " + describe(o));
        }
        if (info != null) {
          throw new IOException(source + ": holds more than one private key; expected one");
        }
        info = found;
      }
    }
    if (info == null) {
      throw new IOException(source + ": no PEM private key (-----BEGIN PRIVATE KEY-----) found");
    }
    return toPrivateKey(info, source);
  }

  /** Writes {@code certs} as consecutive PEM blocks, replacing {@code file}. */
  public static void writeCertificates(Path file, List<X509Certificate> certs)
      throws IOException {
    Objects.requireNonNull(certs, "certs");
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(file + ": refusing to write an empty certificate file");
    }
    writeAtomically(file, toPem(certs), CERT_PERMISSIONS);
  }

  /** Writes {@code crls} as consecutive PEM blocks, replacing {@code file} atomically. */
  public static void writeCrls(Path file, List<java.security.cert.X509CRL> crls) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (java.security.cert.X509CRL crl : crls) {
        writer.writeObject(crl);
      }
    }
    writeAtomically(file, out.toString(), CERT_PERMISSIONS);
  }

  /** Writes one certificate as PEM, replacing {@code file}. */
  public static void writeCertificate(Path file, X509Certificate cert) throws IOException {
    writeCertificates(file, List.of(cert));
  }

  /** Writes {@code key} as unencrypted PKCS#8 PEM with permissions {@code 0600}. */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    Objects.requireNonNull(key, "key");
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new JcaPKCS8Generator(key, null));
    } catch (PemGenerationException e) {
      throw new IllegalArgumentException(
          "cannot encode " + key.getAlgorithm() + " private key as PKCS#8 for " + file, e);
    }
    writeAtomically(file, out.toString(), KEY_PERMISSIONS);
  }

  /** The PEM text of {@code certs}, one block per certificate. */
  public static String toPem(List<X509Certificate> certs) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (X509Certificate cert : certs) {
        writer.writeObject(cert);
      }
    } catch (PemGenerationException e) {
      if (e.getCause() instanceof CertificateEncodingException) {
        throw new IllegalArgumentException("cannot encode certificate: " + e.getMessage(), e);
      }
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static PrivateKey toPrivateKey(PrivateKeyInfo info, String source) throws IOException {
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (PEMException jdkFailure) {
      try {
        return new JcaPEMKeyConverter().setProvider(BouncyCastle.provider()).getPrivateKey(info);
      } catch (PEMException bcFailure) {
        throw new IOException(
            source + ": unsupported or corrupt private key (algorithm "
                + info.getPrivateKeyAlgorithm().getAlgorithm() + "): " + bcFailure.getMessage(),
            bcFailure);
      }
    }
  }

  private static Object next(PEMParser parser, String source) throws IOException {
    try {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IOException(source + ": malformed PEM: " + e.getMessage(), e);
    }
  }

  private static String describe(Object pemObject) {
    return pemObject.getClass().getSimpleName();
  }

  private static String read(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "file does not exist");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IOException(file + ": not a PEM file (contains non-ASCII bytes)", e);
    }
  }

  private static void writeAtomically(Path file, String content, Set<PosixFilePermission> perms)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
    // createTempFile makes the file rw------- on POSIX systems before any byte is written.
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.US_ASCII);
      if (posix) {
        Files.setPosixFilePermissions(tmp, perms);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
